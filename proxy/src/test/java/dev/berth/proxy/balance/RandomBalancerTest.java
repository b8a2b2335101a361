package dev.berth.proxy.balance;

import static dev.berth.proxy.balance.TestEndpoints.counts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RandomBalancerTest {

    @Test
    void spreadsPicksEvenly() {
        Balancer balancer = Balancers.random().newBalancer(TestEndpoints.set(4), 1);

        assertThat(java.util.Arrays.stream(counts(balancer, 4, 40_000)).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(9_500, 10_500));
    }

    @Test
    void loopsDrawDifferentSequences() {
        Balancer balancer = Balancers.random().newBalancer(TestEndpoints.set(1000), 2);
        int same = 0;
        for (int i = 0; i < 100; i++) {
            same += balancer.pick(0, i) == balancer.pick(1, i) ? 1 : 0;
        }

        assertThat(same).isLessThan(5);
    }

    @Test
    void skipsUnhealthyEndpoints() {
        EndpointSet endpoints = TestEndpoints.set(10);
        for (int i = 0; i < 9; i++) {
            endpoints.health().markUnhealthy(i);
        }
        Balancer balancer = Balancers.random().newBalancer(endpoints, 1);

        assertThat(counts(balancer, 10, 1000)[9]).isEqualTo(1000);
    }

    @Test
    void picksNoneFromNothingOrWhenAllAreUnhealthy() {
        EndpointSet one = TestEndpoints.set(1);
        one.health().markUnhealthy(0);

        assertThat(Balancers.random().newBalancer(EndpointSet.of(List.of()), 1).pick(0, 0)).isEqualTo(Balancer.NONE);
        assertThat(Balancers.random().newBalancer(one, 1).pick(0, 0)).isEqualTo(Balancer.NONE);
    }
}
