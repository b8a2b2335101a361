package dev.berth.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SlowStartBalancerTest {

    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void curveRisesLinearlyFromTheMinimumToFull() {
        SlowStart ramp = SlowStart.over(WINDOW);

        assertThat(ramp.factor(0)).isEqualTo(0.1);
        assertThat(ramp.factor(Duration.ofMillis(2_500).toNanos())).isCloseTo(0.325, Offset.offset(1e-9));
        assertThat(ramp.factor(Duration.ofSeconds(5).toNanos())).isCloseTo(0.55, Offset.offset(1e-9));
        assertThat(ramp.factor(WINDOW.toNanos())).isEqualTo(1.0);
        assertThat(ramp.factor(Duration.ofHours(1).toNanos())).isEqualTo(1.0);
    }

    @Test
    void rejectsCurvesThatCannotRamp() {
        assertThatThrownBy(() -> new SlowStart(WINDOW, 0.0))
                .hasMessage("minimumFactor: 0.0 (expected: > 0 and <= 1)");
        assertThatThrownBy(() -> SlowStart.over(Duration.ZERO)).hasMessage("window: PT0S (expected: > 0)");
    }

    private double shareOfNewEndpoint(Balancer balancer, int picks) {
        int count = 0;
        for (int i = 0; i < picks; i++) {
            count += balancer.pick(0, i) == 3 ? 1 : 0;
        }
        return (double) count / picks;
    }

    @Test
    void aNewEndpointsShareGrowsOverTheWindow() {
        EndpointSet endpoints = TestEndpoints.set(4);
        endpoints.health().markHealthySince(3, ticker.nanoTime());
        Balancer balancer = Balancers.slowStart(Balancers.random(), SlowStart.over(WINDOW), ticker)
                .newBalancer(endpoints, 1);

        double[] shares = new double[5];
        for (int quarter = 0; quarter < 4; quarter++) {
            shares[quarter] = shareOfNewEndpoint(balancer, 40_000);
            ticker.advance(WINDOW.dividedBy(4));
        }
        shares[4] = shareOfNewEndpoint(balancer, 40_000);

        assertThat(shares).isSortedAccordingTo(Double::compare);
        // Random over 4: share ≈ ¼ × (f + ¼ × (1 − f)) for factor f, i.e. 0.08, 0.13, 0.18, 0.22, then 0.25.
        assertThat(shares[0]).isCloseTo(0.25 * (0.1 + 0.25 * 0.9), Offset.offset(0.01));
        assertThat(shares[2]).isCloseTo(0.25 * (0.55 + 0.25 * 0.45), Offset.offset(0.01));
        assertThat(shares[4]).isCloseTo(0.25, Offset.offset(0.01));
        assertThat(endpoints.health().rampStart(3)).as("settled after the window").isEqualTo(EndpointHealth.SETTLED);
    }

    @Test
    void settledEndpointsKeepTheDelegatesExactOrder() {
        Balancer balancer = Balancers.slowStart(Balancers.roundRobin(), SlowStart.over(WINDOW), ticker)
                .newBalancer(TestEndpoints.set(3), 1);

        assertThat(TestEndpoints.sequence(balancer, 6)).isEqualTo("a b c a b c");
    }

    @Test
    void aRecoveredEndpointRampsAgain() {
        EndpointSet endpoints = TestEndpoints.set(4);
        Balancer balancer = Balancers.slowStart(Balancers.roundRobin(), SlowStart.over(WINDOW), ticker)
                .newBalancer(endpoints, 1);
        endpoints.health().markUnhealthy(3);
        assertThat(shareOfNewEndpoint(balancer, 4000)).isZero();

        endpoints.health().markHealthySince(3, ticker.nanoTime());

        assertThat(shareOfNewEndpoint(balancer, 4000)).isLessThan(0.1);
        ticker.advance(WINDOW);
        assertThat(shareOfNewEndpoint(balancer, 4000)).isEqualTo(0.25);
    }
}
