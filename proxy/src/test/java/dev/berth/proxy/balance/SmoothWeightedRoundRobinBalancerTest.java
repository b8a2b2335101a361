package dev.berth.proxy.balance;

import static dev.berth.proxy.balance.TestEndpoints.counts;
import static dev.berth.proxy.balance.TestEndpoints.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinBalancerTest {

    @Test
    void spreadsTheHeavyEndpointsTurnsLikeNginx() {
        Balancer balancer = Balancers.weightedRoundRobin().newBalancer(TestEndpoints.set(5, 1, 1), 1);

        assertThat(sequence(balancer, 14)).isEqualTo("a a b a c a a a a b a c a a");
    }

    @Test
    void weightsOneTwoThreeInterleave() {
        Balancer balancer = Balancers.weightedRoundRobin().newBalancer(TestEndpoints.set(1, 2, 3), 1);

        assertThat(sequence(balancer, 6)).isEqualTo("c b a c b c");
    }

    @Test
    void commonFactorsDoNotLengthenTheCycle() {
        assertThat(SmoothWeightedRoundRobinBalancer.schedule(new int[] {50, 10, 10})).hasSize(7);
    }

    @Test
    void everyCycleGivesExactlyTheWeights() {
        int[] weights = new int[1000];
        SplittableRandom random = new SplittableRandom(4);
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 + random.nextInt(8);
            total += weights[i];
        }
        Balancer balancer = Balancers.weightedRoundRobin().newBalancer(TestEndpoints.set(weights), 1);

        int[] counts = counts(balancer, weights.length, (int) total * 3);

        for (int i = 0; i < weights.length; i++) {
            assertThat(counts[i]).as("endpoint %d", i).isEqualTo(weights[i] * 3);
        }
    }

    @Test
    void hugeWeightsAreScaledKeepingProportions() {
        int[] schedule = SmoothWeightedRoundRobinBalancer.schedule(new int[] {1_000_000, 999_999, 3});
        int[] counts = new int[3];
        for (int endpoint : schedule) {
            counts[endpoint]++;
        }

        assertThat(schedule.length).isLessThanOrEqualTo(SmoothWeightedRoundRobinBalancer.MAX_SCHEDULE + 3);
        assertThat(counts[0]).isCloseTo(counts[1], org.assertj.core.data.Offset.offset(1));
        assertThat(counts[2]).isEqualTo(1);
    }

    @Test
    void eachLoopWalksTheScheduleOnItsOwn() {
        Balancer balancer = Balancers.weightedRoundRobin().newBalancer(TestEndpoints.set(5, 1, 1), 2);
        int[] loop1 = new int[3];
        for (int i = 0; i < 70; i++) {
            loop1[balancer.pick(1, i)]++;
        }

        assertThat(sequence(balancer, 7)).isEqualTo("a a b a c a a");
        assertThat(loop1).containsExactly(50, 10, 10);
    }

    @Test
    void skipsAnUnhealthyEndpoint() {
        EndpointSet endpoints = TestEndpoints.set(5, 1, 1);
        endpoints.health().markUnhealthy(0);
        Balancer balancer = Balancers.weightedRoundRobin().newBalancer(endpoints, 1);

        int[] counts = counts(balancer, 3, 7000);

        assertThat(counts[0]).isZero();
        assertThat(counts[1]).isBetween(3200, 3800);
        assertThat(counts[2]).isBetween(3200, 3800);
    }

    @Test
    void picksNoneFromNothing() {
        Balancer balancer = Balancers.weightedRoundRobin().newBalancer(EndpointSet.of(List.of()), 1);

        assertThat(balancer.pick(0, 0)).isEqualTo(Balancer.NONE);
    }
}
