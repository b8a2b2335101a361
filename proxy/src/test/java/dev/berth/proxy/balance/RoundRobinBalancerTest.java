package dev.berth.proxy.balance;

import static dev.berth.proxy.balance.TestEndpoints.counts;
import static dev.berth.proxy.balance.TestEndpoints.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {

    @Test
    void visitsEveryEndpointOnceEachCycle() {
        Balancer balancer = Balancers.roundRobin().newBalancer(TestEndpoints.set(3), 1);

        assertThat(sequence(balancer, 7)).isEqualTo("a b c a b c a");
    }

    @Test
    void threeHundredPicksLandExactlyAHundredOnEach() {
        Balancer balancer = Balancers.roundRobin().newBalancer(TestEndpoints.set(3), 1);

        assertThat(counts(balancer, 3, 300)).containsExactly(100, 100, 100);
    }

    @Test
    void ignoresWeights() {
        Balancer balancer = Balancers.roundRobin().newBalancer(TestEndpoints.set(5, 1, 1), 1);

        assertThat(sequence(balancer, 3)).isEqualTo("a b c");
    }

    @Test
    void eachLoopIsExactOnItsOwnAndStartsElsewhere() {
        Balancer balancer = Balancers.roundRobin().newBalancer(TestEndpoints.set(4), 2);
        int[][] counts = new int[2][4];
        int firstOfLoop1 = balancer.pick(1, 0);
        counts[1][firstOfLoop1]++;
        for (int i = 0; i < 399; i++) {
            counts[0][balancer.pick(0, i)]++;
            counts[1][balancer.pick(1, i)]++;
        }
        counts[0][balancer.pick(0, 0)]++;

        assertThat(firstOfLoop1).as("loop 1 starts half-way round").isEqualTo(2);
        assertThat(counts[0]).containsExactly(100, 100, 100, 100);
        assertThat(counts[1]).containsExactly(100, 100, 100, 100);
    }

    @Test
    void skipsAnUnhealthyEndpointWithoutDoublingItsNeighbour() {
        EndpointSet endpoints = TestEndpoints.set(3);
        endpoints.health().markUnhealthy(1);
        Balancer balancer = Balancers.roundRobin().newBalancer(endpoints, 1);

        int[] counts = counts(balancer, 3, 3000);

        assertThat(counts[1]).isZero();
        assertThat(counts[0]).isBetween(1350, 1650);
        assertThat(counts[2]).isBetween(1350, 1650);
    }

    @Test
    void takesARecoveredEndpointBackWithoutRebuilding() {
        EndpointSet endpoints = TestEndpoints.set(3);
        Balancer balancer = Balancers.roundRobin().newBalancer(endpoints, 1);
        endpoints.health().markUnhealthy(0);
        counts(balancer, 3, 30);
        endpoints.health().markHealthy(0);

        assertThat(counts(balancer, 3, 300)).containsExactly(100, 100, 100);
    }

    @Test
    void picksNoneFromNothing() {
        Balancer balancer = Balancers.roundRobin().newBalancer(EndpointSet.of(List.of()), 1);

        assertThat(balancer.pick(0, 0)).isEqualTo(Balancer.NONE);
    }

    @Test
    void picksNoneWhenAllAreUnhealthy() {
        EndpointSet endpoints = TestEndpoints.set(2);
        endpoints.health().markUnhealthy(0);
        endpoints.health().markUnhealthy(1);
        Balancer balancer = Balancers.roundRobin().newBalancer(endpoints, 1);

        assertThat(balancer.pick(0, 0)).isEqualTo(Balancer.NONE);
    }
}
