package dev.berth.l2.allocator;

import static dev.berth.l2.pool.IpFamily.IPV4;
import static dev.berth.l2.pool.IpFamily.IPV6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.allocator.AssignResult.Allocated;
import dev.berth.l2.allocator.PoolsResult.Applied;
import dev.berth.l2.pool.IpFamily;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random histories of Services and pools being added, changed and deleted — in small pools, so that
 * they run full, share addresses and collide. After every step the appliance's reconcile loop is mimicked
 * (assign every Service until nothing changes), and then:
 * <ul>
 *   <li>no address is held twice except by Services that may share it;</li>
 *   <li>every address lies in the pool its allocation names;</li>
 *   <li>no allocation lost an address unless its own request changed (in this step, or earlier in a
 *       change that could not be met then and was still pending), or the pool edit of this step released
 *       it or filed it under another pool;</li>
 * </ul>
 * and at the end a restart (new allocator, restore, assign everything in a random order) reproduces
 * every allocation.
 */
class AllocatorPropertiesTest {

    private static final List<String> NAMESPACES = List.of("ns0", "ns1");

    sealed interface Action {}

    record SetPools(List<AddressPool> pools) implements Action {}

    record Upsert(ServiceRequest request) implements Action {}

    record Delete(ServiceKey service) implements Action {}

    @Property(tries = 500)
    void allocationsStayUniqueStableAndSurviveARestart(@ForAll("histories") List<Action> history, @ForAll Random random) {
        Allocator allocator = new Allocator();
        Map<ServiceKey, ServiceRequest> services = new TreeMap<>();
        List<AddressPool> pools = List.of();
        Set<ServiceKey> pending = Set.of();

        for (Action action : history) {
            Map<ServiceKey, Allocation> before = byService(allocator.allocations());
            // A Service whose last change was refused still waits for it: it may move once room appears.
            Set<ServiceKey> mayMove = new HashSet<>(pending);
            switch (action) {
                case SetPools(List<AddressPool> next) -> {
                    PoolsResult result = allocator.apply(next);
                    assertThat(result).isInstanceOf(Applied.class);
                    ((Applied) result).released().forEach(r -> mayMove.add(r.allocation().service()));
                    allocator.allocations().stream()
                            .filter(a -> !a.pool().equals(before.get(a.service()).pool()))
                            .forEach(a -> mayMove.add(a.service()));
                    pools = next;
                }
                case Upsert(ServiceRequest request) -> {
                    if (!request.equals(services.get(request.service()))) {
                        mayMove.add(request.service());
                    }
                    services.put(request.service(), request);
                }
                case Delete(ServiceKey service) -> {
                    allocator.release(service);
                    services.remove(service);
                    mayMove.add(service);
                }
            }
            pending = reconcile(allocator, services.values());

            Map<ServiceKey, Allocation> after = byService(allocator.allocations());
            assertNoIllegalSharing(after, services);
            assertInTheirPools(after.values(), pools);
            before.forEach((service, held) -> {
                if (!mayMove.contains(service)) {
                    assertThat(after).as("%s after %s", service, action).containsKey(service);
                    assertThat(after.get(service).ips()).as("%s after %s", service, action).containsAll(held.ips());
                }
            });
        }

        assertRestartReproduces(allocator, services, pools, random);
    }

    /**
     * What the appliance's reconcile loop does after every snapshot: assign all, until nothing changes.
     * Returns the Services whose request was refused in the last pass.
     */
    private static Set<ServiceKey> reconcile(Allocator allocator, Iterable<ServiceRequest> requests) {
        Set<ServiceKey> refusedBefore = null;
        for (int pass = 0; pass < 10; pass++) {
            List<Allocation> start = allocator.allocations();
            Set<ServiceKey> refused = new HashSet<>();
            for (ServiceRequest request : requests) {
                if (allocator.assign(request) instanceof AssignResult.Rejected) {
                    refused.add(request.service());
                }
            }
            // Settled only when a pass changes neither the allocations nor who is refused: a Service's new sharing
            // terms change no allocation, yet can let a Service refused earlier in the same pass in (AddressPlane too).
            if (allocator.allocations().equals(start) && refused.equals(refusedBefore)) {
                return refused;
            }
            refusedBefore = refused;
        }
        throw new AssertionError("reconcile did not settle in 10 passes");
    }

    private static void assertRestartReproduces(Allocator old, Map<ServiceKey, ServiceRequest> services,
                                                List<AddressPool> pools, Random random) {
        List<ExistingAllocation> found = new ArrayList<>(old.allocations().stream()
                .map(a -> new ExistingAllocation(services.get(a.service()), a.ips()))
                .toList());
        Collections.shuffle(found, random);
        Allocator restarted = new Allocator();
        restarted.apply(pools);

        RestoreReport report = restarted.restore(found);
        List<ServiceRequest> requests = new ArrayList<>(services.values());
        Collections.shuffle(requests, random);
        for (ServiceRequest request : requests) {
            AssignResult result = restarted.assign(request);
            if (result instanceof Allocated allocated) {
                assertThat(allocated.change()).as("%s after restart", request.service())
                        .isNotEqualTo(AssignResult.Change.CHANGED);
            }
        }

        assertThat(report.conflicts()).isEmpty();
        assertThat(restarted.allocations()).isEqualTo(old.allocations());
    }

    private static void assertNoIllegalSharing(Map<ServiceKey, Allocation> allocations,
                                               Map<ServiceKey, ServiceRequest> services) {
        Map<InetAddress, List<ServiceKey>> holders = new HashMap<>();
        allocations.values().forEach(a -> a.ips().forEach(ip -> holders.computeIfAbsent(ip, x -> new ArrayList<>()).add(a.service())));
        holders.forEach((ip, keys) -> {
            for (int i = 0; i < keys.size(); i++) {
                for (int j = i + 1; j < keys.size(); j++) {
                    ServiceRequest one = services.get(keys.get(i));
                    ServiceRequest two = services.get(keys.get(j));
                    String pair = ip + " held by " + keys.get(i) + " and " + keys.get(j);
                    assertThat(one.sharingKey()).as(pair).isPresent().isEqualTo(two.sharingKey());
                    assertThat(one.trafficPolicy()).as(pair).isEqualTo(two.trafficPolicy());
                    if (one.trafficPolicy() == ExternalTrafficPolicy.LOCAL) {
                        assertThat(one.selector()).as(pair).isEqualTo(two.selector());
                    }
                    assertThat(Collections.disjoint(one.ports(), two.ports())).as(pair + ": ports overlap").isTrue();
                }
            }
        });
    }

    private static void assertInTheirPools(Iterable<Allocation> allocations, List<AddressPool> pools) {
        for (Allocation allocation : allocations) {
            AddressPool pool = pools.stream().filter(p -> p.name().equals(allocation.pool())).findFirst().orElseThrow();
            for (InetAddress ip : allocation.ips()) {
                assertThat(pool.addresses()).as("%s in %s", ip, pool.name()).anyMatch(range -> range.contains(ip));
                if (pool.avoidBuggyIPs()) {
                    assertThat(Ip.of(ip).confusesBuggyFirmware()).as("%s avoided", ip).isFalse();
                }
            }
        }
    }

    private static Map<ServiceKey, Allocation> byService(List<Allocation> allocations) {
        Map<ServiceKey, Allocation> map = new TreeMap<>();
        allocations.forEach(a -> map.put(a.service(), a));
        return map;
    }

    // ---- generators: three disjoint regions, each a pool under one of its names, or absent ----

    @Provide
    Arbitrary<List<Action>> histories() {
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                Tuple.of(1, poolSets().map(SetPools::new)),
                Tuple.of(6, requests().map(Upsert::new)),
                Tuple.of(2, keys().map(Delete::new)));
        return Combinators.combine(poolSets(), action.list().ofMaxSize(25))
                .as((first, rest) -> Stream.concat(Stream.of((Action) new SetPools(first)), rest.stream()).toList());
    }

    private Arbitrary<List<AddressPool>> poolSets() {
        Arbitrary<Optional<AddressPool>> a = pool(Arbitraries.of("a", "a2"), Arbitraries.of(
                List.of("192.0.2.0/28", "2001:db8::/124"), List.of("192.0.2.0/29"), List.of("192.0.2.0/28")));
        Arbitrary<Optional<AddressPool>> b = pool(Arbitraries.just("b"), Arbitraries.of(
                List.of("192.0.2.16/29"), List.of("192.0.2.16/28", "2001:db8::10/124"), List.of("192.0.2.20-192.0.2.23")));
        Arbitrary<Optional<AddressPool>> c = pool(Arbitraries.just("c"), Arbitraries.of(
                List.of("2001:db8::100/126"), List.of("2001:db8::100/124")));
        return Combinators.combine(a, b, c).as((x, y, z) -> Stream.of(x, y, z).flatMap(Optional::stream).toList());
    }

    private Arbitrary<Optional<AddressPool>> pool(Arbitrary<String> names, Arbitrary<List<String>> addresses) {
        Arbitrary<Optional<ServiceAllocation>> serviceAllocation = Arbitraries.of(
                Optional.empty(),
                Optional.of(ServiceAllocation.priority(1)),
                Optional.of(ServiceAllocation.priority(2)),
                Optional.of(ServiceAllocation.priority(0).withNamespaces("ns0")),
                Optional.of(ServiceAllocation.priority(1).withServiceSelectors(
                        LabelSelector.matchExpressions(LabelSelector.Requirement.in("tier", "web")))));
        return Combinators.combine(names, addresses, Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)),
                        Arbitraries.of(true, false), serviceAllocation, Arbitraries.frequency(Tuple.of(5, true), Tuple.of(1, false)))
                .as((name, ranges, autoAssign, avoidBuggy, allocation, present) -> {
                    AddressPool pool = new AddressPool(name, AddressPool.of(name, ranges.toArray(String[]::new)).addresses(),
                            autoAssign, avoidBuggy, allocation);
                    return present ? Optional.of(pool) : Optional.<AddressPool>empty();
                });
    }

    private Arbitrary<ServiceKey> keys() {
        return Combinators.combine(Arbitraries.of(NAMESPACES), Arbitraries.integers().between(0, 3))
                .as((namespace, i) -> new ServiceKey(namespace, "s" + i));
    }

    /** A family set with its policy: what the API server would accept. */
    private record Families(IpFamilyPolicy policy, List<IpFamily> families) {}

    private Arbitrary<ServiceRequest> requests() {
        Arbitrary<Families> families = Arbitraries.of(
                new Families(IpFamilyPolicy.SINGLE_STACK, List.of(IPV4)),
                new Families(IpFamilyPolicy.SINGLE_STACK, List.of(IPV4)),
                new Families(IpFamilyPolicy.SINGLE_STACK, List.of(IPV6)),
                new Families(IpFamilyPolicy.PREFER_DUAL_STACK, List.of(IPV4, IPV6)),
                new Families(IpFamilyPolicy.PREFER_DUAL_STACK, List.of(IPV6, IPV4)),
                new Families(IpFamilyPolicy.REQUIRE_DUAL_STACK, List.of(IPV4, IPV6)));
        Arbitrary<Integer> requestedIndex = Arbitraries.integers().between(0, 39).injectNull(0.75);
        Arbitrary<Optional<String>> pool = Arbitraries.of("a", "a2", "b", "c", "gone").injectNull(0.8).map(Optional::ofNullable);
        Arbitrary<Optional<String>> sharingKey = Arbitraries.of("k1", "k2").injectNull(0.5).map(Optional::ofNullable);
        Arbitrary<List<ServicePort>> ports = Arbitraries.of(ServicePort.tcp(80), ServicePort.tcp(443), ServicePort.udp(53))
                .set().ofMaxSize(2).map(List::copyOf);
        Arbitrary<ExternalTrafficPolicy> policy = Arbitraries.of(ExternalTrafficPolicy.class);
        Arbitrary<String> app = Arbitraries.of("x", "y");
        Arbitrary<String> tier = Arbitraries.of("web", "db");
        return Combinators.combine(keys(), families, requestedIndex, pool, sharingKey, ports, policy,
                        Combinators.combine(app, tier).as(Tuple::of))
                .as((key, family, index, poolName, sharing, portList, trafficPolicy, labels) -> new ServiceRequest(
                        key, Map.of("tier", labels.get2()), Map.of(), requested(index, family.families()), poolName, sharing,
                        trafficPolicy, Map.of("app", labels.get1()), portList, family.policy(), family.families()));
    }

    /** Addresses in and around the regions: index 0..39 of the primary family, plus the other family at odd indexes. */
    private static List<InetAddress> requested(Integer index, List<IpFamily> families) {
        if (index == null) {
            return List.of();
        }
        List<InetAddress> ips = new ArrayList<>();
        ips.add(address(families.get(0), index));
        if (families.size() == 2 && index % 2 == 1) {
            ips.add(address(families.get(1), index));
        }
        return ips;
    }

    private static InetAddress address(IpFamily family, int index) {
        if (family == IPV4) {
            return InetAddress.ofLiteral("192.0.2." + index);
        }
        int suffix = index < 32 ? index : 0x100 + index - 32;
        return InetAddress.ofLiteral("2001:db8::" + Integer.toHexString(suffix));
    }
}
