package dev.berth.l2.allocator;

import static dev.berth.l2.allocator.Fixtures.allocatorWith;
import static dev.berth.l2.allocator.Fixtures.assigned;
import static dev.berth.l2.allocator.Fixtures.rejected;
import static dev.berth.l2.allocator.Fixtures.svc;
import static dev.berth.l2.allocator.Fixtures.texts;
import static dev.berth.l2.allocator.ServicePort.tcp;
import static dev.berth.l2.pool.IpFamily.IPV4;
import static dev.berth.l2.pool.IpFamily.IPV6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.allocator.AssignResult.Allocated;
import dev.berth.l2.allocator.AssignResult.Change;
import dev.berth.l2.allocator.AssignResult.Rejected;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An existing allocation moves only when its own Service's request no longer fits it: assigning again
 * is idempotent, other Services' changes and pool edits leave it alone, and a change that cannot be met
 * keeps what the Service had (MetalLB issues 1774, 1984, 2443 are this class's reason to exist).
 */
class AllocatorStabilityTest {

    private static final AddressPool LAN = AddressPool.of("lan", "192.0.2.0/29");
    private static final AddressPool WEB = AddressPool.of("web", "198.51.100.0/30");
    private static final AddressPool DUAL = AddressPool.of("dual", "192.0.2.16/30", "2001:db8::/126");

    @Test
    void assigningAnUnchangedRequestAgainChangesNothing() {
        Allocator allocator = allocatorWith(LAN);
        ServiceRequest a = svc("ns/a");
        Allocation first = ((Allocated) allocator.assign(a)).allocation();
        assigned(allocator, svc("ns/b"));

        AssignResult again = allocator.assign(a);

        assertThat(again).isEqualTo(new Allocated(first, Change.UNCHANGED));
    }

    @Test
    void anotherServicesReleaseMovesNothingAndItsHoleIsReusedFirst() {
        Allocator allocator = allocatorWith(LAN);
        assigned(allocator, svc("ns/a"));
        assigned(allocator, svc("ns/b"));
        assigned(allocator, svc("ns/c"));

        assertThat(allocator.release(ServiceKey.parse("ns/b"))).isPresent();

        assertThat(allocator.assign(svc("ns/a"))).extracting(r -> ((Allocated) r).change()).isEqualTo(Change.UNCHANGED);
        assertThat(assigned(allocator, svc("ns/c"))).containsExactly("192.0.2.2");
        assertThat(assigned(allocator, svc("ns/d"))).containsExactly("192.0.2.1");
    }

    @Test
    void releasingOneSharerLeavesTheAddressToTheOther() {
        Allocator allocator = allocatorWith(LAN);
        assigned(allocator, svc("ns/a").withSharingKey("k").withPorts(tcp(80)));
        assigned(allocator, svc("ns/b").withSharingKey("k").withPorts(tcp(443)));

        allocator.release(ServiceKey.parse("ns/a"));

        assertThat(assigned(allocator, svc("ns/c"))).containsExactly("192.0.2.1");
        assertThat(allocator.release(ServiceKey.parse("ns/nobody"))).isEmpty();
    }

    @Test
    void changingTheRequestedAddressMovesTheService() {
        Allocator allocator = allocatorWith(LAN);
        assigned(allocator, svc("ns/a").withRequestedIps("192.0.2.3"));

        AssignResult moved = allocator.assign(svc("ns/a").withRequestedIps("192.0.2.5"));

        assertThat(moved).extracting(r -> ((Allocated) r).change()).isEqualTo(Change.CHANGED);
        assertThat(assigned(allocator, svc("ns/b").withRequestedIps("192.0.2.3"))).containsExactly("192.0.2.3");
    }

    @Test
    void aChangeThatCannotBeMetKeepsWhatTheServiceHad() {
        Allocator allocator = allocatorWith(LAN);
        Allocation held = ((Allocated) allocator.assign(svc("ns/a").withRequestedIps("192.0.2.3"))).allocation();
        assigned(allocator, svc("ns/b").withRequestedIps("192.0.2.5"));

        AssignResult result = allocator.assign(svc("ns/a").withRequestedIps("192.0.2.5"));

        assertThat(result).isEqualTo(new Rejected(held.service(),
                "192.0.2.5 is in use by ns/b, which does not allow sharing (expected: a free address)",
                Optional.of(held)));
        assertThat(allocator.allocation(held.service())).contains(held);
    }

    @Test
    void anInvalidRequestKeepsWhatTheServiceHad() {
        Allocator allocator = allocatorWith(LAN);
        List<String> held = assigned(allocator, svc("ns/a"));

        String problem = rejected(allocator, svc("ns/a").withPool("gone"));

        assertThat(problem).isEqualTo("pool gone does not exist (expected: one of lan)");
        assertThat(texts(allocator.allocation(ServiceKey.parse("ns/a")).orElseThrow().ips())).isEqualTo(held);
    }

    @Test
    void droppingTheRequestedAddressKeepsIt() {
        Allocator allocator = allocatorWith(LAN);
        assigned(allocator, svc("ns/a").withRequestedIps("192.0.2.3"));

        assertThat(allocator.assign(svc("ns/a"))).extracting(r -> ((Allocated) r).change()).isEqualTo(Change.UNCHANGED);
        assertThat(texts(allocator.allocation(ServiceKey.parse("ns/a")).orElseThrow().ips())).containsExactly("192.0.2.3");
    }

    @Test
    void namingTheCurrentPoolKeepsTheAllocationNamingAnotherMovesIt() {
        Allocator allocator = allocatorWith(LAN, WEB);
        assigned(allocator, svc("ns/a"));

        assertThat(allocator.assign(svc("ns/a").withPool("lan")))
                .extracting(r -> ((Allocated) r).change()).isEqualTo(Change.UNCHANGED);
        assertThat(assigned(allocator, svc("ns/a").withPool("web"))).containsExactly("198.51.100.0");
    }

    @Test
    void changingFamiliesKeepsTheAddressOfAFamilyThatStays() {
        Allocator allocator = allocatorWith(DUAL);
        assigned(allocator, svc("ns/x"));
        assertThat(assigned(allocator, svc("ns/a"))).containsExactly("192.0.2.17");

        assertThat(assigned(allocator, svc("ns/a").withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6)))
                .containsExactly("192.0.2.17", "2001:db8::");
        assertThat(assigned(allocator, svc("ns/a").withFamilies(IpFamilyPolicy.SINGLE_STACK, IPV6)))
                .containsExactly("2001:db8::");
    }

    @Test
    void preferDualStackGainsTheMissingFamilyOnceItFrees() {
        Allocator allocator = allocatorWith(AddressPool.of("dual", "192.0.2.16/32", "2001:db8::/128"));
        assigned(allocator, svc("ns/x").withFamilies(IpFamilyPolicy.SINGLE_STACK, IPV6));
        ServiceRequest prefer = svc("ns/a").withFamilies(IpFamilyPolicy.PREFER_DUAL_STACK, IPV4, IPV6);
        assertThat(assigned(allocator, prefer)).containsExactly("192.0.2.16");

        allocator.release(ServiceKey.parse("ns/x"));

        assertThat(assigned(allocator, prefer)).containsExactly("192.0.2.16", "2001:db8::");
    }

    @Test
    void aPoolThatStopsAdmittingTheServiceDoesNotEvictIt() {
        AddressPool forDev = LAN.withServiceAllocation(ServiceAllocation.priority(1).withNamespaces("dev"));
        AddressPool forProd = LAN.withServiceAllocation(ServiceAllocation.priority(1).withNamespaces("prod"));
        Allocator allocator = allocatorWith(forDev, WEB);
        ServiceRequest any = svc("dev/a");
        ServiceRequest pinned = svc("dev/b").withRequestedIps("192.0.2.5");
        List<String> anyIps = assigned(allocator, any);
        List<String> pinnedIps = assigned(allocator, pinned);

        allocator.apply(List.of(forProd, WEB));

        assertThat(assigned(allocator, any)).isEqualTo(anyIps);
        assertThat(assigned(allocator, pinned)).isEqualTo(pinnedIps);
        assertThat(assigned(allocator, svc("dev/c"))).containsExactly("198.51.100.0");
    }

    @Test
    void leavingASharingPartnerMovesOnlyTheServiceThatChanged() {
        Allocator allocator = allocatorWith(LAN);
        assigned(allocator, svc("ns/a").withSharingKey("k").withPorts(tcp(80)));
        assigned(allocator, svc("ns/b").withSharingKey("k").withPorts(tcp(443)));

        assertThat(assigned(allocator, svc("ns/b").withSharingKey("other").withPorts(tcp(443))))
                .containsExactly("192.0.2.1");
        assertThat(assigned(allocator, svc("ns/a").withSharingKey("k").withPorts(tcp(80)))).containsExactly("192.0.2.0");
    }

    @Test
    void aPortThatNowCollidesWithThePartnerMovesTheServiceThatChanged() {
        Allocator allocator = allocatorWith(LAN);
        assigned(allocator, svc("ns/a").withSharingKey("k").withPorts(tcp(80)));
        assigned(allocator, svc("ns/b").withSharingKey("k").withPorts(tcp(443)));

        assertThat(assigned(allocator, svc("ns/b").withSharingKey("k").withPorts(tcp(443), tcp(80))))
                .containsExactly("192.0.2.1");
    }

    @Test
    void newSharingTermsThatCannotStayNorMoveReleaseTheAddress() {
        Allocator allocator = allocatorWith(AddressPool.of("one", "192.0.2.1/32"));
        assigned(allocator, svc("ns/a").withSharingKey("k").withPorts(tcp(80)));
        assigned(allocator, svc("ns/b").withSharingKey("k").withPorts(tcp(443)));

        AssignResult result = allocator.assign(svc("ns/b").withPorts(tcp(443)));

        assertThat(result).isEqualTo(new Rejected(ServiceKey.parse("ns/b"),
                "no pool has a free IPv4 address for ns/b (expected: room in pool one); released 192.0.2.1"
                        + " since its new sharing terms no longer allow it there", Optional.empty()));
        assertThat(allocator.allocation(ServiceKey.parse("ns/b"))).isEmpty();
        assertThat(allocator.allocation(ServiceKey.parse("ns/a"))).isPresent();
    }

    @Test
    void newSharingTermsThatStillFitAreRecordedEvenWhenAPinCannotBeMet() {
        Allocator allocator = allocatorWith(LAN);
        assigned(allocator, svc("ns/a").withSharingKey("k").withPorts(tcp(80)));

        rejected(allocator, svc("ns/a").withSharingKey("k").withPorts(tcp(8080)).withPool("gone"));

        // The kept address now carries port 8080, so a partner may take 80 beside it but not 8080.
        assertThat(assigned(allocator, svc("ns/b").withSharingKey("k").withPorts(tcp(80)))).containsExactly("192.0.2.0");
        assertThat(assigned(allocator, svc("ns/c").withSharingKey("k").withPorts(tcp(8080)))).containsExactly("192.0.2.1");
    }
}
