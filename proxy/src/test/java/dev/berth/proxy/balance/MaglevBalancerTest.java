package dev.berth.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaglevBalancerTest {

    private static final int KEYS = 100_000;

    private static long[] keys() {
        SplittableRandom random = new SplittableRandom(42);
        long[] keys = new long[KEYS];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextLong();
        }
        return keys;
    }

    private static Endpoint[] route(EndpointSet endpoints, long[] keys) {
        Balancer balancer = Balancers.maglev().newBalancer(endpoints, 1);
        Endpoint[] routed = new Endpoint[keys.length];
        for (int i = 0; i < keys.length; i++) {
            routed[i] = endpoints.get(balancer.pick(0, keys[i]));
        }
        return routed;
    }

    @Test
    void tableSizeIsAPrimeOfAHundredSlotsPerEndpointRoundedUpToAPowerOfTwo() {
        assertThat(tableSize(3)).isEqualTo(65_537);
        assertThat(tableSize(700)).isEqualTo(102_407);
        assertThat(tableSize(1000)).isEqualTo(102_407);
    }

    @Test
    void tableSizeStaysWhenOneEndpointComesOrGoes() {
        assertThat(tableSize(999)).isEqualTo(tableSize(1000)).isEqualTo(tableSize(1001 - 1));
        assertThat(tableSize(1024)).isEqualTo(tableSize(1000));
        assertThat(tableSize(1025)).isGreaterThan(tableSize(1024));
    }

    private static int tableSize(int endpoints) {
        return ((MaglevBalancer) Balancers.maglev().newBalancer(TestEndpoints.set(endpoints), 1)).tableSize();
    }

    @Test
    void givesThousandEndpointsAlmostEqualSlotCounts() {
        int[] table = MaglevTable.build(TestEndpoints.set(1000));
        int[] slots = new int[1000];
        for (int endpoint : table) {
            slots[endpoint]++;
        }
        int max = java.util.Arrays.stream(slots).max().orElseThrow();
        int min = java.util.Arrays.stream(slots).min().orElseThrow();

        assertThat((double) max / min).as("max/min slots: %d/%d", max, min).isLessThanOrEqualTo(1.1);
    }

    @Test
    void slotsFollowWeights() {
        int[] table = MaglevTable.build(TestEndpoints.set(1, 2, 1));
        int[] slots = new int[3];
        for (int endpoint : table) {
            slots[endpoint]++;
        }

        assertThat(slots[1]).isBetween(2 * slots[0] - 2, 2 * slots[0] + 2);
        assertThat(slots[0]).isBetween(slots[2] - 1, slots[2] + 1);
    }

    @Test
    void spreadsKeysEvenly() {
        EndpointSet endpoints = TestEndpoints.set(4);
        Balancer balancer = Balancers.maglev().newBalancer(endpoints, 1);
        int[] counts = new int[4];
        for (long key : keys()) {
            counts[balancer.pick(0, key)]++;
        }

        assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(24_000, 26_000));
    }

    @Test
    void aKeyKeepsItsEndpointAcrossPicksLoopsAndListOrder() {
        List<Endpoint> list = TestEndpoints.list(100);
        List<Endpoint> shuffled = new ArrayList<>(list);
        Collections.shuffle(shuffled, new Random(7));
        long[] keys = keys();
        Balancer balancer = Balancers.maglev().newBalancer(EndpointSet.of(list), 2);

        Endpoint[] again = route(EndpointSet.of(list), keys);
        Endpoint[] reordered = route(EndpointSet.of(shuffled), keys);

        for (int i = 0; i < keys.length; i++) {
            Endpoint first = list.get(balancer.pick(0, keys[i]));
            assertThat(list.get(balancer.pick(1, keys[i]))).isEqualTo(first);
            assertThat(again[i]).isEqualTo(first);
            assertThat(reordered[i]).isEqualTo(first);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100, 1000})
    void removingOneOfNEndpointsMovesLittleMoreThanItsKeys(int count) {
        List<Endpoint> before = TestEndpoints.list(count);
        List<Endpoint> after = new ArrayList<>(before);
        Endpoint removed = after.remove(count / 3);
        long[] keys = keys();

        Endpoint[] routedBefore = route(EndpointSet.of(before), keys);
        Endpoint[] routedAfter = route(EndpointSet.of(after), keys);

        int moved = 0;
        int keptByOthers = 0;
        for (int i = 0; i < keys.length; i++) {
            if (!routedBefore[i].equals(routedAfter[i])) {
                moved++;
            }
            if (!routedBefore[i].equals(removed) && routedBefore[i].equals(routedAfter[i])) {
                keptByOthers++;
            }
        }
        assertThat((double) moved / keys.length).isLessThanOrEqualTo(1.0 / count + 0.01);
        assertThat(keptByOthers).isPositive();
    }

    @Test
    void anUnhealthyEndpointsKeysSpreadWhileOthersStay() {
        EndpointSet endpoints = TestEndpoints.set(10);
        Balancer balancer = Balancers.maglev().newBalancer(endpoints, 1);
        long[] keys = keys();
        int[] before = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            before[i] = balancer.pick(0, keys[i]);
        }

        endpoints.health().markUnhealthy(4);

        int[] receivers = new int[10];
        for (int i = 0; i < keys.length; i++) {
            int now = balancer.pick(0, keys[i]);
            if (before[i] == 4) {
                receivers[now]++;
            } else {
                assertThat(now).isEqualTo(before[i]);
            }
        }
        assertThat(receivers[4]).isZero();
        long sharing = java.util.Arrays.stream(receivers).filter(count -> count > 0).count();
        assertThat(sharing).as("survivors taking over the down endpoint's keys").isEqualTo(9);
    }

    @Test
    void picksNoneFromNothingOrWhenAllAreUnhealthy() {
        EndpointSet endpoints = TestEndpoints.set(2);
        endpoints.health().markUnhealthy(0);
        endpoints.health().markUnhealthy(1);

        assertThat(Balancers.maglev().newBalancer(EndpointSet.of(List.of()), 1).pick(0, 1)).isEqualTo(Balancer.NONE);
        assertThat(Balancers.maglev().newBalancer(endpoints, 1).pick(0, 1)).isEqualTo(Balancer.NONE);
    }
}
