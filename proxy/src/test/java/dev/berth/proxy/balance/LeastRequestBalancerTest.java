package dev.berth.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeastRequestBalancerTest {

    /** Picks, starts and at once finishes {@code requests} requests on loop 0; returns the picks per endpoint. */
    private static int[] shortRequests(Balancer balancer, int size, int requests) {
        int[] counts = new int[size];
        for (int i = 0; i < requests; i++) {
            int endpoint = balancer.pick(0, i);
            balancer.onStart(0, endpoint);
            balancer.onFinish(0, endpoint, 1_000_000);
            counts[endpoint]++;
        }
        return counts;
    }

    @Test
    void avoidsAnEndpointThatIsStuckWithRequests() {
        Balancer balancer = Balancers.leastRequest().newBalancer(TestEndpoints.set(3), 1);
        for (int i = 0; i < 10; i++) {
            balancer.onStart(0, 0);
        }

        int[] counts = shortRequests(balancer, 3, 3000);

        assertThat(counts[0]).as("two distinct candidates: the stuck one always loses").isZero();
        assertThat(counts[1]).isBetween(1350, 1650);
        assertThat(counts[2]).isBetween(1350, 1650);
    }

    @Test
    void prefersTheLessLoadedUnderASkew() {
        Balancer balancer = Balancers.leastRequest().newBalancer(TestEndpoints.set(4), 1);
        for (int endpoint = 0; endpoint < 4; endpoint++) {
            for (int held = 0; held < endpoint * 3; held++) {
                balancer.onStart(0, endpoint);
            }
        }

        int[] counts = shortRequests(balancer, 4, 6000);

        assertThat(counts).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        assertThat(counts[0]).as("least loaded wins whenever drawn: 1/2 of pairs").isBetween(2700, 3300);
        assertThat(counts[3]).isZero();
    }

    @Test
    void requestsThatStayInFlightSettleInProportionToWeight() {
        Balancer balancer = Balancers.leastRequest().newBalancer(TestEndpoints.set(1, 2, 3), 1);
        for (int i = 0; i < 600; i++) {
            balancer.onStart(0, balancer.pick(0, i));
        }

        LeastRequestBalancer leastRequest = (LeastRequestBalancer) balancer;
        assertThat(leastRequest.inFlight(0, 0)).isBetween(95, 105);
        assertThat(leastRequest.inFlight(0, 1)).isBetween(195, 205);
        assertThat(leastRequest.inFlight(0, 2)).isBetween(295, 305);
    }

    @Test
    void eachLoopCountsOnlyItsOwnRequests() {
        LeastRequestBalancer balancer =
                (LeastRequestBalancer) Balancers.leastRequest().newBalancer(TestEndpoints.set(2), 2);
        balancer.onStart(1, 0);
        balancer.onStart(1, 0);
        balancer.onFinish(1, 0, 0);

        assertThat(balancer.inFlight(1, 0)).isEqualTo(1);
        assertThat(balancer.inFlight(0, 0)).isZero();
        assertThat(balancer.pick(1, 0)).isEqualTo(1);
    }

    @Test
    void skipsUnhealthyEndpoints() {
        EndpointSet endpoints = TestEndpoints.set(3);
        endpoints.health().markUnhealthy(2);
        Balancer balancer = Balancers.leastRequest().newBalancer(endpoints, 1);

        int[] counts = shortRequests(balancer, 3, 3000);

        assertThat(counts[2]).isZero();
        assertThat(counts[0] + counts[1]).isEqualTo(3000);
    }

    @Test
    void picksTheOnlyEndpointOrNone() {
        EndpointSet one = TestEndpoints.set(1);
        Balancer single = Balancers.leastRequest().newBalancer(one, 1);
        assertThat(single.pick(0, 0)).isZero();

        one.health().markUnhealthy(0);
        assertThat(single.pick(0, 0)).isEqualTo(Balancer.NONE);
        assertThat(Balancers.leastRequest().newBalancer(EndpointSet.of(List.of()), 1).pick(0, 0))
                .isEqualTo(Balancer.NONE);
    }
}
