package dev.berth.l2.allocator;

import static dev.berth.l2.allocator.Fixtures.svc;
import static dev.berth.l2.allocator.Fixtures.texts;
import static dev.berth.l2.allocator.LabelSelector.Requirement.in;
import static dev.berth.l2.allocator.ServicePort.tcp;
import static dev.berth.l2.allocator.ServicePort.udp;
import static dev.berth.l2.pool.IpFamily.IPV4;
import static dev.berth.l2.pool.IpFamily.IPV6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.allocator.AssignResult.Allocated;
import dev.berth.l2.allocator.AssignResult.Rejected;
import dev.berth.l2.allocator.PoolsResult.Applied;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where one new request lands, rule by rule, in MetalLB's table style: given pools and Services already
 * assigned, the request gets these addresses from this pool, or this exact problem. Every case also
 * checks that the inputs were not mutated and that no Service assigned before was moved.
 */
class AllocatorAssignTest {

    private static final AddressPool LAN = AddressPool.of("lan", "192.0.2.0/29");
    private static final AddressPool WEB = AddressPool.of("web", "198.51.100.0/30");
    private static final AddressPool A_LAN = AddressPool.of("a-lan", "192.0.2.0/29");
    private static final AddressPool B_DUAL = AddressPool.of("b-dual", "192.0.2.16/30", "2001:db8::/126");
    private static final AddressPool C_V6 = AddressPool.of("c-v6", "2001:db8:1::/64");
    private static final AddressPool TINY = AddressPool.of("tiny", "192.0.2.0/31");

    /** One row: the world before, the request, and either {@code pool + ips} or {@code problem}. */
    record Case(String name, List<AddressPool> pools, List<ServiceRequest> before, ServiceRequest request,
                String pool, List<String> ips, String problem) {

        static Builder named(String name) {
            return new Builder(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final class Builder {
        private final String name;
        private List<AddressPool> pools = List.of();
        private List<ServiceRequest> before = List.of();
        private ServiceRequest request;

        Builder(String name) {
            this.name = name;
        }

        Builder pools(AddressPool... value) {
            pools = List.of(value);
            return this;
        }

        Builder before(ServiceRequest... value) {
            before = List.of(value);
            return this;
        }

        Builder request(ServiceRequest value) {
            request = value;
            return this;
        }

        Case allocates(String pool, String... ips) {
            return new Case(name, pools, before, request, pool, List.of(ips), null);
        }

        Case refuses(String problem) {
            return new Case(name, pools, before, request, null, List.of(), problem);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"pools", "requestedAddresses", "serviceAllocation", "sharing", "dualStack"})
    void assignsAsTheRulesSay(Case c) {
        List<AddressPool> poolsArgument = new ArrayList<>(c.pools());
        List<AddressPool> poolsSnapshot = List.copyOf(poolsArgument);
        ServiceRequest requestSnapshot = c.request();
        Allocator allocator = new Allocator();
        assertThat(allocator.apply(poolsArgument)).isInstanceOf(Applied.class);
        for (ServiceRequest earlier : c.before()) {
            assertThat(allocator.assign(earlier)).as("setup %s", earlier.service()).isInstanceOf(Allocated.class);
        }
        List<Allocation> allocationsBefore = allocator.allocations();

        AssignResult result = allocator.assign(c.request());

        if (c.problem() == null) {
            assertThat(result).isInstanceOf(Allocated.class);
            Allocation allocation = ((Allocated) result).allocation();
            assertThat(allocation.pool()).isEqualTo(c.pool());
            assertThat(texts(allocation.ips())).isEqualTo(c.ips());
        } else {
            assertThat(result).isInstanceOf(Rejected.class);
            assertThat(((Rejected) result).problem()).isEqualTo(c.problem());
            assertThat(((Rejected) result).kept()).isEmpty();
            assertThat(allocator.allocation(c.request().service())).isEmpty();
        }
        assertThat(poolsArgument).as("pools not mutated").isEqualTo(poolsSnapshot);
        assertThat(c.request()).as("request not mutated").isEqualTo(requestSnapshot);
        List<Allocation> others = allocator.allocations().stream()
                .filter(a -> !a.service().equals(c.request().service()))
                .toList();
        assertThat(others).as("no earlier Service moved").isEqualTo(allocationsBefore);
    }

    static Stream<Case> pools() {
        return Stream.of(
                Case.named("first request gets the lowest address").pools(LAN)
                        .request(svc("ns/a")).allocates("lan", "192.0.2.0"),
                Case.named("later requests get the next free address").pools(LAN)
                        .before(svc("ns/a"), svc("ns/b")).request(svc("ns/c")).allocates("lan", "192.0.2.2"),
                Case.named("a released hole is filled first").pools(LAN)
                        .before(svc("ns/a").withRequestedIps("192.0.2.1"), svc("ns/b"))
                        .request(svc("ns/c")).allocates("lan", "192.0.2.2"),
                Case.named("avoidBuggyIPs skips .0").pools(LAN.withAvoidBuggyIPs(true))
                        .request(svc("ns/a")).allocates("lan", "192.0.2.1"),
                Case.named("avoidBuggyIPs skips .255 and the next .0")
                        .pools(AddressPool.of("edge", "198.51.100.254-198.51.101.1").withAvoidBuggyIPs(true))
                        .before(svc("ns/a")).request(svc("ns/b")).allocates("edge", "198.51.101.1"),
                Case.named("an autoAssign=false pool is skipped").pools(LAN.withAutoAssign(false), WEB)
                        .request(svc("ns/a")).allocates("web", "198.51.100.0"),
                Case.named("an autoAssign=false pool serves a request naming it").pools(LAN.withAutoAssign(false), WEB)
                        .request(svc("ns/a").withPool("lan")).allocates("lan", "192.0.2.0"),
                Case.named("no autoAssign pool at all").pools(LAN.withAutoAssign(false))
                        .request(svc("ns/a"))
                        .refuses("no pool serves ns/a (expected: an autoAssign pool that admits it, or an address-pool annotation naming one)"),
                Case.named("general pools are tried by name").pools(AddressPool.of("b", "198.51.100.0/30"),
                                AddressPool.of("a", "192.0.2.0/30"))
                        .request(svc("ns/a")).allocates("a", "192.0.2.0"),
                Case.named("a full pool passes on to the next").pools(AddressPool.of("a", "192.0.2.0/32"), WEB)
                        .before(svc("ns/a")).request(svc("ns/b")).allocates("web", "198.51.100.0"),
                Case.named("the named pool").pools(LAN, WEB)
                        .request(svc("ns/a").withPool("web")).allocates("web", "198.51.100.0"),
                Case.named("a named pool that does not exist").pools(LAN, WEB)
                        .request(svc("ns/a").withPool("dmz"))
                        .refuses("pool dmz does not exist (expected: one of lan, web)"),
                Case.named("no pool defined").request(svc("ns/a"))
                        .refuses("no pool serves ns/a (expected: an autoAssign pool that admits it, or an address-pool annotation naming one)"),
                Case.named("every pool full").pools(TINY).before(svc("ns/a"), svc("ns/b"))
                        .request(svc("ns/c"))
                        .refuses("no pool has a free IPv4 address for ns/c (expected: room in pool tiny)"),
                Case.named("the named pool full").pools(TINY, WEB).before(svc("ns/a"), svc("ns/b"))
                        .request(svc("ns/c").withPool("tiny"))
                        .refuses("pool tiny has no free IPv4 address (expected: a released address or a larger pool)"),
                Case.named("an IPv6 /64 pool").pools(C_V6)
                        .before(svc("ns/a").withFamilies(IpFamilyPolicy.SINGLE_STACK, IPV6))
                        .request(svc("ns/b").withFamilies(IpFamilyPolicy.SINGLE_STACK, IPV6))
                        .allocates("c-v6", "2001:db8:1::1"));
    }

    static Stream<Case> requestedAddresses() {
        return Stream.of(
                Case.named("a requested address").pools(LAN)
                        .request(svc("ns/a").withRequestedIps("192.0.2.5")).allocates("lan", "192.0.2.5"),
                Case.named("a requested address in no pool").pools(LAN, WEB)
                        .request(svc("ns/a").withRequestedIps("192.0.2.9"))
                        .refuses("192.0.2.9 is in no pool (expected: an address of pool lan or web)"),
                Case.named("a requested IPv6 address when no pool has IPv6").pools(LAN)
                        .request(svc("ns/a").withFamilies(IpFamilyPolicy.SINGLE_STACK, IPV6).withRequestedIps("2001:db8::1"))
                        .refuses("2001:db8::1 is in no pool (expected: an address of a pool, but no pool has IPv6 addresses)"),
                Case.named("a requested address in use").pools(LAN)
                        .before(svc("ns/a").withRequestedIps("192.0.2.5"))
                        .request(svc("ns/b").withRequestedIps("192.0.2.5"))
                        .refuses("192.0.2.5 is in use by ns/a, which does not allow sharing (expected: a free address)"),
                Case.named("a requested address that avoidBuggyIPs excludes").pools(LAN.withAvoidBuggyIPs(true))
                        .request(svc("ns/a").withRequestedIps("192.0.2.0"))
                        .refuses("192.0.2.0 is avoided by pool lan, which has avoidBuggyIPs (expected: an address not ending in .0 or .255)"),
                Case.named("a requested address of an autoAssign=false pool").pools(LAN.withAutoAssign(false))
                        .request(svc("ns/a").withRequestedIps("192.0.2.3")).allocates("lan", "192.0.2.3"),
                Case.named("a requested address outside the requested pool").pools(LAN, WEB)
                        .request(svc("ns/a").withRequestedIps("192.0.2.1").withPool("web"))
                        .refuses("192.0.2.1 is in pool lan (expected: an address of the requested pool web)"),
                Case.named("a requested address inside the requested pool").pools(LAN, WEB)
                        .request(svc("ns/a").withRequestedIps("198.51.100.2").withPool("web"))
                        .allocates("web", "198.51.100.2"),
                Case.named("three requested addresses").pools(B_DUAL)
                        .request(svc("ns/a").withRequestedIps("192.0.2.16", "192.0.2.17", "2001:db8::1"))
                        .refuses("3 addresses 192.0.2.16, 192.0.2.17, 2001:db8::1 (expected: at most one IPv4 and one IPv6 address)"),
                Case.named("two requested addresses of one family").pools(B_DUAL)
                        .request(svc("ns/a").withFamilies(IpFamilyPolicy.PREFER_DUAL_STACK, IPV4, IPV6)
                                .withRequestedIps("192.0.2.16", "192.0.2.17"))
                        .refuses("192.0.2.16 and 192.0.2.17 are both IPv4 (expected: one address per family)"),
                Case.named("a requested address of a family the Service does not have").pools(B_DUAL)
                        .request(svc("ns/a").withRequestedIps("2001:db8::1"))
                        .refuses("2001:db8::1 is IPv6 (expected: an address of the Service's ipFamilies [IPv4])"),
                Case.named("requested dual-stack addresses, primary family first").pools(B_DUAL)
                        .request(svc("ns/a").withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6)
                                .withRequestedIps("2001:db8::2", "192.0.2.17"))
                        .allocates("b-dual", "192.0.2.17", "2001:db8::2"),
                Case.named("requested addresses from two pools").pools(A_LAN, C_V6)
                        .request(svc("ns/a").withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6)
                                .withRequestedIps("192.0.2.1", "2001:db8:1::1"))
                        .refuses("192.0.2.1 is in pool a-lan but 2001:db8:1::1 is in pool c-v6 (expected: both addresses from one pool)"),
                Case.named("one requested address for RequireDualStack").pools(B_DUAL)
                        .request(svc("ns/a").withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6)
                                .withRequestedIps("192.0.2.17"))
                        .refuses("only 192.0.2.17 requested for RequireDualStack (expected: one IPv4 and one IPv6 address)"),
                Case.named("one requested address for PreferDualStack").pools(B_DUAL)
                        .request(svc("ns/a").withFamilies(IpFamilyPolicy.PREFER_DUAL_STACK, IPV6, IPV4)
                                .withRequestedIps("2001:db8::3"))
                        .allocates("b-dual", "2001:db8::3"),
                Case.named("a requested address of a pool that does not serve the namespace")
                        .pools(LAN.withServiceAllocation(ServiceAllocation.priority(0).withNamespaces("prod")))
                        .request(svc("dev/a").withRequestedIps("192.0.2.1"))
                        .refuses("pool lan does not serve namespace dev (expected: namespaces prod)"));
    }

    static Stream<Case> serviceAllocation() {
        AddressPool general = AddressPool.of("a", "192.0.2.0/29");
        AddressPool dedicated = AddressPool.of("z", "198.51.100.0/30");
        return Stream.of(
                Case.named("lower priority wins over name order").pools(
                                AddressPool.of("a", "198.51.100.0/30").withServiceAllocation(ServiceAllocation.priority(2)),
                                AddressPool.of("b", "192.0.2.0/29").withServiceAllocation(ServiceAllocation.priority(1)))
                        .request(svc("ns/s")).allocates("b", "192.0.2.0"),
                Case.named("unset priority ranks after a set one").pools(
                                AddressPool.of("a", "198.51.100.0/30").withServiceAllocation(ServiceAllocation.priority(0)),
                                AddressPool.of("b", "192.0.2.0/29").withServiceAllocation(ServiceAllocation.priority(5)))
                        .request(svc("ns/s")).allocates("b", "192.0.2.0"),
                Case.named("a pool with serviceAllocation comes before the general pools")
                        .pools(general, dedicated.withServiceAllocation(ServiceAllocation.priority(0)))
                        .request(svc("ns/s")).allocates("z", "198.51.100.0"),
                Case.named("namespaces: a listed namespace").pools(general,
                                dedicated.withServiceAllocation(ServiceAllocation.priority(0).withNamespaces("prod", "stage")))
                        .request(svc("stage/s")).allocates("z", "198.51.100.0"),
                Case.named("namespaces: another namespace goes to the general pools").pools(general,
                                dedicated.withServiceAllocation(ServiceAllocation.priority(0).withNamespaces("prod")))
                        .request(svc("dev/s")).allocates("a", "192.0.2.0"),
                Case.named("namespaceSelectors: matching namespace labels").pools(general,
                                dedicated.withServiceAllocation(ServiceAllocation.priority(0)
                                        .withNamespaceSelectors(LabelSelector.matchLabels(Map.of("env", "prod")))))
                        .request(svc("shop/s").withNamespaceLabels(Map.of("env", "prod", "team", "x")))
                        .allocates("z", "198.51.100.0"),
                Case.named("namespaceSelectors: other namespace labels").pools(general,
                                dedicated.withServiceAllocation(ServiceAllocation.priority(0)
                                        .withNamespaceSelectors(LabelSelector.matchLabels(Map.of("env", "prod")))))
                        .request(svc("shop/s").withNamespaceLabels(Map.of("env", "dev")))
                        .allocates("a", "192.0.2.0"),
                Case.named("serviceSelectors: matchExpressions In").pools(general,
                                dedicated.withServiceAllocation(ServiceAllocation.priority(0)
                                        .withServiceSelectors(LabelSelector.matchExpressions(in("tier", "web", "api")))))
                        .request(svc("ns/s").withLabels(Map.of("tier", "api"))).allocates("z", "198.51.100.0"),
                Case.named("serviceSelectors: no match").pools(general,
                                dedicated.withServiceAllocation(ServiceAllocation.priority(0)
                                        .withServiceSelectors(LabelSelector.matchExpressions(in("tier", "web", "api")))))
                        .request(svc("ns/s").withLabels(Map.of("tier", "db"))).allocates("a", "192.0.2.0"),
                Case.named("a full dedicated pool passes on to the general pools")
                        .pools(general, AddressPool.of("z", "198.51.100.0/32").withServiceAllocation(ServiceAllocation.priority(1)))
                        .before(svc("ns/x")).request(svc("ns/s")).allocates("a", "192.0.2.0"),
                Case.named("a dedicated pool never serves a Service it does not admit")
                        .pools(dedicated.withServiceAllocation(ServiceAllocation.priority(0).withNamespaces("prod")))
                        .request(svc("dev/s"))
                        .refuses("no pool serves dev/s (expected: an autoAssign pool that admits it, or an address-pool annotation naming one)"),
                Case.named("a named pool that does not admit the Service's labels")
                        .pools(dedicated.withServiceAllocation(ServiceAllocation.priority(0)
                                .withServiceSelectors(LabelSelector.matchLabels(Map.of("tier", "web")))))
                        .request(svc("dev/s").withPool("z").withLabels(Map.of("tier", "db")))
                        .refuses("pool z does not serve Service dev/s labelled {tier=db} (expected: labels matching {tier=web})"));
    }

    static Stream<Case> sharing() {
        ServiceRequest a = svc("ns/a").withSharingKey("k").withPorts(tcp(80));
        ServiceRequest b = svc("ns/b").withSharingKey("k").withPorts(tcp(443));
        return Stream.of(
                Case.named("same key, other ports: shares").pools(LAN)
                        .before(a).request(b).allocates("lan", "192.0.2.0"),
                Case.named("same key, same port: the next address").pools(LAN)
                        .before(a).request(b.withPorts(tcp(80))).allocates("lan", "192.0.2.1"),
                Case.named("same number, other protocol: shares").pools(LAN)
                        .before(a.withPorts(tcp(53))).request(b.withPorts(udp(53))).allocates("lan", "192.0.2.0"),
                Case.named("a shareable address wins over a lower free one").pools(LAN)
                        .before(a.withRequestedIps("192.0.2.4")).request(b).allocates("lan", "192.0.2.4"),
                Case.named("a key without partners takes a free address").pools(LAN)
                        .before(svc("ns/x")).request(b).allocates("lan", "192.0.2.1"),
                Case.named("requested: another key").pools(LAN)
                        .before(a.withRequestedIps("192.0.2.0"))
                        .request(b.withSharingKey("other").withRequestedIps("192.0.2.0"))
                        .refuses("192.0.2.0 is shared by ns/a under key 'k' (expected: key 'k', got 'other')"),
                Case.named("requested: no key").pools(LAN)
                        .before(a.withRequestedIps("192.0.2.0"))
                        .request(svc("ns/b").withPorts(tcp(443)).withRequestedIps("192.0.2.0"))
                        .refuses("192.0.2.0 is in use by ns/a (expected: a free address, or allow-shared-ip key 'k' to share it)"),
                Case.named("requested: overlapping port").pools(LAN)
                        .before(a.withRequestedIps("192.0.2.0"))
                        .request(b.withPorts(tcp(443), tcp(80)).withRequestedIps("192.0.2.0"))
                        .refuses("192.0.2.0 port TCP/80 is already used by ns/a (expected: ports that do not overlap)"),
                Case.named("requested: another externalTrafficPolicy").pools(LAN)
                        .before(a.withRequestedIps("192.0.2.0"))
                        .request(b.withTrafficPolicy(ExternalTrafficPolicy.LOCAL).withRequestedIps("192.0.2.0"))
                        .refuses("192.0.2.0 is shared by ns/a with externalTrafficPolicy Cluster (expected: Cluster, got Local)"),
                Case.named("Local with identical selectors: shares").pools(LAN)
                        .before(a.withTrafficPolicy(ExternalTrafficPolicy.LOCAL).withSelector(Map.of("app", "web")))
                        .request(b.withTrafficPolicy(ExternalTrafficPolicy.LOCAL).withSelector(Map.of("app", "web")))
                        .allocates("lan", "192.0.2.0"),
                Case.named("Local with other selectors: not shared").pools(LAN)
                        .before(a.withTrafficPolicy(ExternalTrafficPolicy.LOCAL).withSelector(Map.of("app", "web"))
                                .withRequestedIps("192.0.2.0"))
                        .request(b.withTrafficPolicy(ExternalTrafficPolicy.LOCAL).withSelector(Map.of("app", "api"))
                                .withRequestedIps("192.0.2.0"))
                        .refuses("192.0.2.0 is shared by ns/a selecting {app=web} (expected: the same selector for"
                                + " externalTrafficPolicy Local, got {app=api})"),
                Case.named("Cluster with other selectors: shares").pools(LAN)
                        .before(a.withSelector(Map.of("app", "web")))
                        .request(b.withSelector(Map.of("app", "api")))
                        .allocates("lan", "192.0.2.0"));
    }

    static Stream<Case> dualStack() {
        ServiceRequest require = svc("ns/s").withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6);
        ServiceRequest prefer = svc("ns/s").withFamilies(IpFamilyPolicy.PREFER_DUAL_STACK, IPV4, IPV6);
        return Stream.of(
                Case.named("RequireDualStack skips a pool without IPv6").pools(A_LAN, B_DUAL)
                        .request(require).allocates("b-dual", "192.0.2.16", "2001:db8::"),
                Case.named("RequireDualStack without any dual-stack pool").pools(A_LAN, C_V6)
                        .request(require)
                        .refuses("no pool has a free IPv4 and IPv6 address for ns/s (expected: room in pool a-lan or c-v6)"),
                Case.named("RequireDualStack naming a pool without IPv6").pools(A_LAN, B_DUAL)
                        .request(require.withPool("a-lan"))
                        .refuses("pool a-lan has no IPv6 addresses (expected: a pool with IPv4 and IPv6 addresses for RequireDualStack)"),
                Case.named("PreferDualStack prefers a pool with both").pools(A_LAN, B_DUAL)
                        .request(prefer).allocates("b-dual", "192.0.2.16", "2001:db8::"),
                Case.named("PreferDualStack falls back to the primary family").pools(A_LAN, C_V6)
                        .request(prefer).allocates("a-lan", "192.0.2.0"),
                Case.named("PreferDualStack with IPv6 primary falls back to IPv6").pools(A_LAN, C_V6)
                        .request(prefer.withFamilies(IpFamilyPolicy.PREFER_DUAL_STACK, IPV6, IPV4))
                        .allocates("c-v6", "2001:db8:1::"),
                Case.named("PreferDualStack takes the other family when the primary is exhausted")
                        .pools(AddressPool.of("v4", "192.0.2.0/32"), C_V6)
                        .before(svc("ns/x"))
                        .request(prefer).allocates("c-v6", "2001:db8:1::"),
                Case.named("IPv6 primary comes first").pools(B_DUAL)
                        .request(require.withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV6, IPV4))
                        .allocates("b-dual", "2001:db8::", "192.0.2.16"),
                Case.named("SingleStack IPv6 skips IPv4-only pools").pools(A_LAN, C_V6)
                        .request(svc("ns/s").withFamilies(IpFamilyPolicy.SINGLE_STACK, IPV6))
                        .allocates("c-v6", "2001:db8:1::"),
                Case.named("dual-stack Services sharing one key share both addresses").pools(B_DUAL)
                        .before(require.withSharingKey("k").withPorts(tcp(80)))
                        .request(svc("ns/t").withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IPV4, IPV6)
                                .withSharingKey("k").withPorts(tcp(443)))
                        .allocates("b-dual", "192.0.2.16", "2001:db8::"));
    }
}
