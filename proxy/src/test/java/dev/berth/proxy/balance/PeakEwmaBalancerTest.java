package dev.berth.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeakEwmaBalancerTest {

    private static final long FAST = Duration.ofMillis(5).toNanos();
    private static final long SLOW = Duration.ofMillis(100).toNanos();

    private final FakeTicker ticker = new FakeTicker();

    /** One request at a time on loop 0, the clock advancing by each endpoint's latency; returns the picks. */
    private int[] requests(Balancer balancer, int count, long[] latencies, long thinkNanos) {
        int[] picks = new int[count];
        for (int i = 0; i < count; i++) {
            int endpoint = balancer.pick(0, i);
            balancer.onStart(0, endpoint);
            ticker.advanceNanos(latencies[endpoint]);
            balancer.onFinish(0, endpoint, latencies[endpoint]);
            ticker.advanceNanos(thinkNanos);
            picks[i] = endpoint;
        }
        return picks;
    }

    private static long picksOf(int[] picks, int endpoint, int from) {
        long count = 0;
        for (int i = from; i < picks.length; i++) {
            count += picks[i] == endpoint ? 1 : 0;
        }
        return count;
    }

    @Test
    void movesTrafficAwayFromASlowEndpointWithinTwentyRequests() {
        Balancer balancer = Balancers.peakEwma(Duration.ofSeconds(10), ticker).newBalancer(TestEndpoints.set(3), 1);

        int[] picks = requests(balancer, 1000, new long[] {FAST, FAST, SLOW}, 0);

        assertThat(picksOf(picks, 2, 0)).as("slow endpoint, all requests").isBetween(1L, 3L);
        assertThat(picksOf(picks, 2, 20)).as("slow endpoint after the first 20").isZero();
    }

    @Test
    void forgivesASlowEndpointAfterTheDecay() {
        Balancer balancer = Balancers.peakEwma(Duration.ofSeconds(1), ticker).newBalancer(TestEndpoints.set(3), 1);
        requests(balancer, 50, new long[] {FAST, FAST, SLOW}, 0);

        int[] later = requests(balancer, 400, new long[] {FAST, FAST, FAST}, Duration.ofMillis(50).toNanos());

        assertThat(picksOf(later, 2, 0)).as("picks of the formerly slow endpoint once it is fast").isGreaterThan(50);
    }

    @Test
    void aSlowResponseRaisesTheEstimateAtOnce() {
        PeakEwmaBalancer balancer = (PeakEwmaBalancer) Balancers.peakEwma(Duration.ofSeconds(10), ticker)
                .newBalancer(TestEndpoints.set(2), 1);
        balancer.onStart(0, 0);
        ticker.advanceNanos(FAST);
        balancer.onFinish(0, 0, FAST);
        balancer.onStart(0, 0);
        ticker.advanceNanos(SLOW);
        balancer.onFinish(0, 0, SLOW);

        assertThat(balancer.estimate(0, 0)).isEqualTo((double) SLOW);
    }

    @Test
    void aFastResponseLowersTheEstimateGradually() {
        PeakEwmaBalancer balancer = (PeakEwmaBalancer) Balancers.peakEwma(Duration.ofSeconds(10), ticker)
                .newBalancer(TestEndpoints.set(2), 1);
        balancer.onStart(0, 0);
        ticker.advanceNanos(SLOW);
        balancer.onFinish(0, 0, SLOW);
        balancer.onStart(0, 0);
        ticker.advance(Duration.ofSeconds(10));
        balancer.onFinish(0, 0, FAST);

        double expected = SLOW / Math.E + FAST * (1 - 1 / Math.E);
        assertThat(balancer.estimate(0, 0)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void anUnmeasuredEndpointWithRequestsInFlightIsNotFree() {
        Balancer balancer = Balancers.peakEwma(Duration.ofSeconds(10), ticker).newBalancer(TestEndpoints.set(3), 1);
        balancer.onStart(0, 0);

        int[] picks = new int[300];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = balancer.pick(0, i);
        }

        assertThat(picksOf(picks, 0, 0)).isZero();
    }

    @Test
    void prefersTheLessLoadedAtEqualLatency() {
        Balancer balancer = Balancers.peakEwma(Duration.ofSeconds(10), ticker).newBalancer(TestEndpoints.set(2), 1);
        requests(balancer, 20, new long[] {FAST, FAST}, 0);
        balancer.onStart(0, 1);

        assertThat(balancer.pick(0, 0)).isZero();
    }

    @Test
    void skipsUnhealthyAndPicksNoneFromNothing() {
        EndpointSet endpoints = TestEndpoints.set(3);
        endpoints.health().markUnhealthy(0);
        Balancer balancer = Balancers.peakEwma(Duration.ofSeconds(10), ticker).newBalancer(endpoints, 1);

        int[] picks = requests(balancer, 300, new long[] {FAST, FAST, FAST}, 0);

        assertThat(picksOf(picks, 0, 0)).isZero();
        assertThat(Balancers.peakEwma().newBalancer(EndpointSet.of(List.of()), 1).pick(0, 0))
                .isEqualTo(Balancer.NONE);
    }
}
