package dev.berth.l2.allocator;

import static dev.berth.l2.allocator.Fixtures.allocatorWith;
import static dev.berth.l2.allocator.Fixtures.assigned;
import static dev.berth.l2.allocator.Fixtures.svc;
import static dev.berth.l2.allocator.Fixtures.texts;
import static dev.berth.l2.allocator.ServicePort.tcp;
import static dev.berth.l2.pool.IpFamily.IPV4;
import static dev.berth.l2.pool.IpFamily.IPV6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.allocator.PoolUsage.FamilyUsage;
import dev.berth.l2.allocator.PoolsResult.Applied;
import dev.berth.l2.allocator.PoolsResult.Rejected;
import dev.berth.l2.allocator.PoolsResult.Released;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Allocator#apply}: which pool sets are refused, what a pool edit does to existing allocations
 * (nothing, unless the pool stops holding their address), and the usage counts for {@code /api/pools}.
 */
class AllocatorPoolsTest {

    private static final AddressPool LAN = AddressPool.of("lan", "192.0.2.0/29");
    private static final AddressPool WEB = AddressPool.of("web", "198.51.100.0/30");
    private static final AddressPool DUAL = AddressPool.of("dual", "192.0.2.16/30", "2001:db8::/126");

    /** One pool edit: pools before, Services assigned under them, pools after; what is released and why. */
    record Edit(String name, List<AddressPool> before, List<ServiceRequest> services, List<AddressPool> after,
                Map<String, String> released, Map<String, String> poolAfter) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Edit> edits() {
        ServiceRequest a = svc("ns/a");
        ServiceRequest b = svc("ns/b");
        ServiceRequest c = svc("ns/c").withRequestedIps("192.0.2.6");
        ServiceRequest dual = svc("ns/d").withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6);
        return Stream.of(
                new Edit("adding a pool moves nothing", List.of(LAN), List.of(a, b), List.of(WEB, LAN),
                        Map.of(), Map.of("ns/a", "lan", "ns/b", "lan")),
                new Edit("growing a pool moves nothing", List.of(LAN), List.of(a, b),
                        List.of(AddressPool.of("lan", "192.0.2.0/28")), Map.of(), Map.of("ns/a", "lan", "ns/b", "lan")),
                new Edit("shrinking a pool releases only what it no longer contains", List.of(LAN), List.of(a, b, c),
                        List.of(AddressPool.of("lan", "192.0.2.0/30")),
                        Map.of("ns/c", "no pool contains 192.0.2.6 any more"), Map.of("ns/a", "lan", "ns/b", "lan")),
                new Edit("removing a pool releases its allocations", List.of(LAN, WEB), List.of(a, b.withPool("web")),
                        List.of(LAN), Map.of("ns/b", "pool web was removed"), Map.of("ns/a", "lan")),
                new Edit("renaming a pool re-files its allocations", List.of(LAN), List.of(a),
                        List.of(AddressPool.of("office", "192.0.2.0/29")), Map.of(), Map.of("ns/a", "office")),
                new Edit("turning avoidBuggyIPs on releases a .0", List.of(LAN), List.of(a, b),
                        List.of(LAN.withAvoidBuggyIPs(true)), Map.of("ns/a", "pool lan now avoids 192.0.2.0"),
                        Map.of("ns/b", "lan")),
                new Edit("narrowing serviceAllocation moves nothing", List.of(LAN), List.of(a),
                        List.of(LAN.withServiceAllocation(ServiceAllocation.priority(1).withNamespaces("prod"))),
                        Map.of(), Map.of("ns/a", "lan")),
                new Edit("turning autoAssign off moves nothing", List.of(LAN), List.of(a),
                        List.of(LAN.withAutoAssign(false)), Map.of(), Map.of("ns/a", "lan")),
                new Edit("splitting a dual-stack pool releases its dual-stack allocations", List.of(DUAL), List.of(dual),
                        List.of(AddressPool.of("x", "192.0.2.16/30"), AddressPool.of("y", "2001:db8::/126")),
                        Map.of("ns/d", "no single pool contains 192.0.2.16, 2001:db8:: any more"), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void poolEditsMoveOnlyWhatTheyMust(Edit edit) {
        Allocator allocator = new Allocator();
        assertThat(allocator.apply(edit.before())).isInstanceOf(Applied.class);
        Map<ServiceKey, List<String>> ipsBefore = new LinkedHashMap<>();
        edit.services().forEach(s -> ipsBefore.put(s.service(), assigned(allocator, s)));
        List<AddressPool> afterArgument = new ArrayList<>(edit.after());

        PoolsResult result = allocator.apply(afterArgument);

        assertThat(afterArgument).as("pools not mutated").isEqualTo(edit.after());
        assertThat(result).isInstanceOf(Applied.class);
        Map<String, String> released = new LinkedHashMap<>();
        for (Released r : ((Applied) result).released()) {
            released.put(r.allocation().service().toString(), r.reason());
            assertThat(allocator.allocation(r.allocation().service())).isEmpty();
        }
        assertThat(released).isEqualTo(edit.released());
        edit.poolAfter().forEach((service, pool) -> {
            Allocation allocation = allocator.allocation(ServiceKey.parse(service)).orElseThrow();
            assertThat(allocation.pool()).isEqualTo(pool);
            assertThat(texts(allocation.ips())).isEqualTo(ipsBefore.get(ServiceKey.parse(service)));
        });
    }

    record Refusal(String name, List<AddressPool> pools, List<String> problems) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal("pools that overlap", List.of(LAN, AddressPool.of("web", "192.0.2.4-192.0.2.9")),
                        List.of("pool web range 192.0.2.4-192.0.2.9 overlaps pool lan range 192.0.2.0-192.0.2.7"
                                + " (expected: pools that share no address)")),
                new Refusal("ranges of one pool that overlap", List.of(AddressPool.of("lan", "192.0.2.0/29", "192.0.2.7/32")),
                        List.of("pool lan range 192.0.2.7-192.0.2.7 overlaps pool lan range 192.0.2.0-192.0.2.7"
                                + " (expected: pools that share no address)")),
                new Refusal("IPv6 pools that overlap", List.of(DUAL, AddressPool.of("v6", "2001:db8::/64")),
                        List.of("pool v6 range 2001:db8::-2001:db8::ffff:ffff:ffff:ffff overlaps pool dual range"
                                + " 2001:db8::-2001:db8::3 (expected: pools that share no address)")),
                new Refusal("a name used twice", List.of(LAN, AddressPool.of("lan", "198.51.100.0/30")),
                        List.of("pool lan is defined twice (expected: unique pool names)")),
                new Refusal("a pool without addresses", List.of(new AddressPool("empty", List.of(), true, false,
                                Optional.empty())),
                        List.of("pool empty has no addresses (expected: at least one CIDR or range)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void badPoolSetsAreRefusedWholeAndTheOldOnesStay(Refusal refusal) {
        Allocator allocator = allocatorWith(WEB);
        List<String> held = assigned(allocator, svc("ns/a"));
        List<AddressPool> argument = new ArrayList<>(refusal.pools());

        PoolsResult result = allocator.apply(argument);

        assertThat(argument).as("pools not mutated").isEqualTo(refusal.pools());
        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).problems()).isEqualTo(refusal.problems());
        assertThat(texts(allocator.allocation(ServiceKey.parse("ns/a")).orElseThrow().ips())).isEqualTo(held);
        assertThat(assigned(allocator, svc("ns/b"))).containsExactly("198.51.100.1");
    }

    @Test
    void usageCountsPerFamily() {
        Allocator allocator = allocatorWith(LAN, DUAL);
        assigned(allocator, svc("ns/a").withPool("lan"));
        assigned(allocator, svc("ns/b").withPool("lan"));
        assigned(allocator, svc("ns/c").withPool("dual").withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6));

        assertThat(allocator.usage()).containsExactly(
                new PoolUsage("dual", usage(4, 1), usage(4, 1)),
                new PoolUsage("lan", usage(8, 2), usage(0, 0)));
        assertThat(allocator.usage("lan")).contains(new PoolUsage("lan", usage(8, 2), usage(0, 0)));
        assertThat(allocator.usage("nope")).isEmpty();
    }

    @Test
    void aSharedAddressCountsOnce() {
        Allocator allocator = allocatorWith(LAN);
        assigned(allocator, svc("ns/a").withSharingKey("k").withPorts(tcp(80)));
        assigned(allocator, svc("ns/b").withSharingKey("k").withPorts(tcp(443)));

        assertThat(allocator.usage("lan").orElseThrow().ipv4()).isEqualTo(usage(8, 1));
    }

    @Test
    void avoidedAddressesDoNotCount() {
        Allocator allocator = allocatorWith(AddressPool.of("lan", "192.0.2.0/24").withAvoidBuggyIPs(true),
                AddressPool.of("edge", "198.51.100.254-198.51.101.1").withAvoidBuggyIPs(true));

        assertThat(allocator.usage("lan").orElseThrow().ipv4()).isEqualTo(usage(254, 0));
        assertThat(allocator.usage("edge").orElseThrow().ipv4()).isEqualTo(usage(2, 0));
    }

    @Test
    void anIpv6SlashSixtyFourIsCountedNotEnumerated() {
        Allocator allocator = allocatorWith(AddressPool.of("v6", "2001:db8:1::/64"));
        for (int i = 0; i < 3; i++) {
            assigned(allocator, svc("ns/s" + i).withFamilies(IpFamilyPolicy.SINGLE_STACK, IPV6));
        }

        FamilyUsage ipv6 = allocator.usage("v6").orElseThrow().ipv6();
        assertThat(ipv6.total()).isEqualTo(BigInteger.ONE.shiftLeft(64));
        assertThat(ipv6.used()).isEqualTo(BigInteger.valueOf(3));
        assertThat(ipv6.free()).isEqualTo(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.valueOf(3)));
    }

    private static FamilyUsage usage(long total, long used) {
        return FamilyUsage.of(BigInteger.valueOf(total), BigInteger.valueOf(used));
    }
}
