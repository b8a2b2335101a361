package dev.berth.l2.allocator;

import static dev.berth.l2.allocator.Fixtures.allocatorWith;
import static dev.berth.l2.allocator.Fixtures.assigned;
import static dev.berth.l2.allocator.Fixtures.ips;
import static dev.berth.l2.allocator.Fixtures.svc;
import static dev.berth.l2.allocator.Fixtures.texts;
import static dev.berth.l2.allocator.ServicePort.tcp;
import static dev.berth.l2.pool.IpFamily.IPV4;
import static dev.berth.l2.pool.IpFamily.IPV6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.berth.l2.allocator.AssignResult.Allocated;
import dev.berth.l2.allocator.AssignResult.Change;
import dev.berth.l2.allocator.RestoreReport.Conflict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Allocator#restore} at start: every existing allocation comes back before anything new is
 * assigned, conflicts are reported rather than overwritten, and the outcome depends on neither the
 * input's order nor the order in which Services are assigned afterwards (MetalLB issues 686, 2479).
 */
class AllocatorRestoreTest {

    private static final AddressPool LAN = AddressPool.of("lan", "192.0.2.0/29");
    private static final AddressPool DUAL = AddressPool.of("dual", "192.0.2.16/30", "2001:db8::/126");
    private static final AddressPool V6 = AddressPool.of("v6", "2001:db8:1::/64");

    private static ExistingAllocation existing(ServiceRequest request, String... literals) {
        return new ExistingAllocation(request, ips(literals));
    }

    /** Existing allocations in, restored Services and conflicts (service → problem) out. */
    record Case(String name, List<ExistingAllocation> existing, List<String> restored, Map<String, String> conflicts) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        ServiceRequest a = svc("ns/a");
        ServiceRequest b = svc("ns/b");
        return Stream.of(
                new Case("allocations anywhere in the pool", List.of(existing(b, "192.0.2.6"), existing(a, "192.0.2.3")),
                        List.of("ns/a", "ns/b"), Map.of()),
                new Case("an address in no pool", List.of(existing(a, "192.0.2.9")),
                        List.of(), Map.of("ns/a", "192.0.2.9 is in no pool (expected: an address of pool dual or lan)")),
                new Case("an address the pool avoids", List.of(existing(a, "192.0.2.0")),
                        List.of(), Map.of("ns/a", "192.0.2.0 is avoided by pool lan, which has avoidBuggyIPs"
                                + " (expected: an address not ending in .0 or .255)")),
                new Case("one address claimed twice: the first Service in key order keeps it",
                        List.of(existing(b, "192.0.2.1"), existing(a, "192.0.2.1")),
                        List.of("ns/a"),
                        Map.of("ns/b", "192.0.2.1 is in use by ns/a, which does not allow sharing (expected: a free address)")),
                new Case("one address legitimately shared",
                        List.of(existing(a.withSharingKey("k").withPorts(tcp(80)), "192.0.2.1"),
                                existing(b.withSharingKey("k").withPorts(tcp(443)), "192.0.2.1")),
                        List.of("ns/a", "ns/b"), Map.of()),
                new Case("one address shared with a port twice",
                        List.of(existing(a.withSharingKey("k").withPorts(tcp(80)), "192.0.2.1"),
                                existing(b.withSharingKey("k").withPorts(tcp(80)), "192.0.2.1")),
                        List.of("ns/a"),
                        Map.of("ns/b", "192.0.2.1 port TCP/80 is already used by ns/a (expected: ports that do not overlap)")),
                new Case("dual-stack from one pool",
                        List.of(existing(a.withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6), "192.0.2.17", "2001:db8::1")),
                        List.of("ns/a"), Map.of()),
                new Case("dual-stack from two pools",
                        List.of(existing(a.withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6), "192.0.2.1", "2001:db8::1")),
                        List.of(), Map.of("ns/a", "192.0.2.1 is in pool lan but 2001:db8::1 is in pool dual"
                                + " (expected: both addresses from one pool)")),
                new Case("nothing to restore", List.of(existing(a)),
                        List.of(), Map.of("ns/a", "no address given (expected: one IPv4 and/or one IPv6 address)")),
                new Case("one Service listed twice with other addresses",
                        List.of(existing(a, "192.0.2.1"), existing(a, "192.0.2.2")),
                        List.of("ns/a"), Map.of("ns/a", "ns/a already holds 192.0.2.1 (expected: one allocation per Service)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void restoresWhatFitsAndReportsTheRest(Case c) {
        Allocator allocator = allocatorWith(LAN.withAvoidBuggyIPs(true), DUAL);
        List<ExistingAllocation> argument = new ArrayList<>(c.existing());

        RestoreReport report = allocator.restore(argument);

        assertThat(argument).as("input not mutated").isEqualTo(c.existing());
        assertThat(report.restored()).extracting(r -> r.service().toString()).isEqualTo(c.restored());
        assertThat(report.conflicts()).extracting(x -> x.service().toString(), Conflict::problem)
                .containsExactlyInAnyOrderElementsOf(c.conflicts().entrySet().stream()
                        .map(e -> tuple(e.getKey(), e.getValue())).toList());
        for (Allocation restored : report.restored()) {
            assertThat(allocator.allocation(restored.service())).contains(restored);
        }
    }

    @Test
    void restoredAllocationsAreKeptAndNewOnesFillTheGaps() {
        Allocator allocator = allocatorWith(LAN);
        allocator.restore(List.of(existing(svc("ns/a"), "192.0.2.5"), existing(svc("ns/b"), "192.0.2.0")));

        assertThat(assigned(allocator, svc("ns/c"))).containsExactly("192.0.2.1");
        assertThat(allocator.assign(svc("ns/a"))).extracting(r -> ((Allocated) r).change()).isEqualTo(Change.UNCHANGED);
        assertThat(allocator.assign(svc("ns/b"))).extracting(r -> ((Allocated) r).change()).isEqualTo(Change.UNCHANGED);
    }

    @Test
    void restoredAddressesKeepTheirRecordedOrderUntilAssignListsThemPrimaryFirst() {
        Allocator allocator = allocatorWith(DUAL);
        ServiceRequest dual = svc("ns/a").withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6);

        allocator.restore(List.of(existing(dual, "2001:db8::1", "192.0.2.17")));

        assertThat(texts(allocator.allocation(dual.service()).orElseThrow().ips())).containsExactly("2001:db8::1", "192.0.2.17");
        AssignResult result = allocator.assign(dual);
        assertThat(((Allocated) result).change()).isEqualTo(Change.UNCHANGED);
        assertThat(texts(((Allocated) result).allocation().ips())).containsExactly("192.0.2.17", "2001:db8::1");
    }

    @Test
    void theInputOrderDoesNotMatter() {
        List<ExistingAllocation> existing = List.of(
                existing(svc("ns/c"), "192.0.2.1"),
                existing(svc("ns/a"), "192.0.2.1"),
                existing(svc("ns/b").withSharingKey("k"), "192.0.2.2"),
                existing(svc("ns/d").withSharingKey("k").withPorts(tcp(80)), "192.0.2.2"));
        List<ExistingAllocation> reversed = new ArrayList<>(existing);
        Collections.reverse(reversed);

        RestoreReport forward = allocatorWith(LAN).restore(existing);
        RestoreReport backward = allocatorWith(LAN).restore(reversed);

        assertThat(backward).isEqualTo(forward);
        assertThat(forward.conflicts()).extracting(x -> x.service().toString()).containsExactly("ns/c");
    }

    @Test
    void serviceAllocationDoesNotEvictOnRestore() {
        Allocator allocator = allocatorWith(LAN.withServiceAllocation(ServiceAllocation.priority(1).withNamespaces("prod")));

        RestoreReport report = allocator.restore(List.of(existing(svc("dev/a"), "192.0.2.3")));

        assertThat(report.conflicts()).isEmpty();
        assertThat(assigned(allocator, svc("dev/a"))).containsExactly("192.0.2.3");
    }

    @Test
    void aRequestChangedWhileTheApplianceWasDownMovesOnTheFirstAssign() {
        Allocator allocator = allocatorWith(LAN);
        ServiceRequest now = svc("ns/a").withRequestedIps("192.0.2.4");
        allocator.restore(List.of(existing(now, "192.0.2.1")));

        assertThat(allocator.assign(now)).extracting(r -> ((Allocated) r).change()).isEqualTo(Change.CHANGED);
        assertThat(texts(allocator.allocation(now.service()).orElseThrow().ips())).containsExactly("192.0.2.4");
    }

    @Test
    void aRestartReproducesEveryAllocationWhateverTheAssignOrder() {
        List<ServiceRequest> requests = List.of(
                svc("ns/a"),
                svc("ns/b").withRequestedIps("2001:db8:1::5").withFamilies(IpFamilyPolicy.SINGLE_STACK, IPV6),
                svc("ns/c").withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6),
                svc("ns/d").withSharingKey("k").withPorts(tcp(80)),
                svc("ns/e").withSharingKey("k").withPorts(tcp(443)),
                svc("ns/f").withFamilies(IpFamilyPolicy.PREFER_DUAL_STACK, IPV6, IPV4));
        Allocator before = allocatorWith(LAN, DUAL, V6);
        requests.forEach(r -> before.assign(r));
        before.release(ServiceKey.parse("ns/a"));
        List<ExistingAllocation> found = before.allocations().stream()
                .map(a -> new ExistingAllocation(requests.stream().filter(r -> r.service().equals(a.service())).findFirst().orElseThrow(), a.ips()))
                .toList();

        Allocator after = allocatorWith(LAN, DUAL, V6);
        RestoreReport report = after.restore(found);
        List<ServiceRequest> reversed = new ArrayList<>(requests.subList(1, requests.size()));
        Collections.reverse(reversed);
        reversed.forEach(r -> assertThat(after.assign(r)).extracting(x -> ((Allocated) x).change()).isEqualTo(Change.UNCHANGED));

        assertThat(report.conflicts()).isEmpty();
        assertThat(after.allocations()).isEqualTo(before.allocations());
    }
}
