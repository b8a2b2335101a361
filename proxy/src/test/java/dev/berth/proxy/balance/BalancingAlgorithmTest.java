package dev.berth.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class BalancingAlgorithmTest {

    @ParameterizedTest
    @EnumSource(BalancingAlgorithm.class)
    void parsesEveryAnnotationValueBack(BalancingAlgorithm algorithm) {
        assertThat(BalancingAlgorithm.parse(algorithm.label())).isSameAs(algorithm);
    }

    @Test
    void labelsAreTheDocumentedAnnotationValues() {
        assertThat(BalancingAlgorithm.values()).extracting(BalancingAlgorithm::label).containsExactly(
                "round-robin", "weighted-round-robin", "random", "least-request", "peak-ewma", "maglev");
    }

    @Test
    void unknownNameSaysWhatIsExpected() {
        assertThatThrownBy(() -> BalancingAlgorithm.parse("least-conn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("balance: 'least-conn' (expected: "
                        + "round-robin|weighted-round-robin|random|least-request|peak-ewma|maglev)");
    }

    @Test
    void upperCaseIsRefusedWithAHint() {
        assertThatThrownBy(() -> BalancingAlgorithm.parse("Maglev"))
                .hasMessageStartingWith("balance: 'Maglev' (values are lower case) (expected: round-robin|");
    }

    static List<BalancingPolicy> policies() {
        FakeTicker ticker = new FakeTicker();
        return List.of(Balancers.roundRobin(), Balancers.weightedRoundRobin(), Balancers.random(),
                Balancers.leastRequest(), Balancers.peakEwma(), Balancers.peakEwma(Duration.ofSeconds(1), ticker),
                Balancers.maglev(), Balancers.of(BalancingAlgorithm.PEAK_EWMA, ticker),
                Balancers.slowStart(Balancers.leastRequest(), SlowStart.over(Duration.ofSeconds(30)), ticker));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void everyPolicyPicksNoneFromNothingAndOnlyHealthyEndpoints(BalancingPolicy policy) {
        assertThat(policy.newBalancer(EndpointSet.of(List.of()), 2).pick(1, 0)).isEqualTo(Balancer.NONE);

        EndpointSet endpoints = TestEndpoints.set(5);
        endpoints.health().markUnhealthy(0);
        endpoints.health().markUnhealthy(3);
        Balancer balancer = policy.newBalancer(endpoints, 2);
        for (int i = 0; i < 500; i++) {
            int loop = i % 2;
            int endpoint = balancer.pick(loop, i * 0x9E3779B97F4A7C15L);
            assertThat(endpoint).isIn(1, 2, 4);
            balancer.onStart(loop, endpoint);
            balancer.onFinish(loop, endpoint, 1_000);
        }
    }

    @Test
    void refusesImpossibleSettings() {
        Map<String, Runnable> cases = Map.of(
                "loops: 0 (expected: > 0)", () -> Balancers.roundRobin().newBalancer(TestEndpoints.set(1), 0),
                "decay: PT-1S (expected: > 0)", () -> Balancers.peakEwma(Duration.ofSeconds(-1), new FakeTicker()));
        cases.forEach((message, action) -> assertThatThrownBy(action::run).hasMessage(message));
    }
}
