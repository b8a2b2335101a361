package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.Manifests;
import dev.berth.appliance.snapshot.Snapshot;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnouncementPlanTest {
    private static final String POOLS = """
            apiVersion: berth.dev/v1alpha1
            kind: IPAddressPool
            metadata: {name: lan, namespace: berth-system, labels: {zone: a}}
            spec: {addresses: [192.0.2.0/28]}
            ---
            apiVersion: berth.dev/v1alpha1
            kind: IPAddressPool
            metadata: {name: dark, namespace: berth-system}
            spec: {addresses: [198.51.100.0/28]}
            ---
            """;
    private static final AddressView ADDRESSES = new AddressView(List.of(
            new ServiceAddress("shop", "web", List.of("192.0.2.1"), "lan", null, List.of()),
            new ServiceAddress("shop", "db", List.of("192.0.2.2", "2001:db8::2"), "lan", null, List.of()),
            new ServiceAddress("shop", "hidden", List.of("198.51.100.1"), "dark", null, List.of()),
            new ServiceAddress("shop", "pending", List.of(), null, null, List.of())), List.of());

    @TempDir
    Path scratch;

    private Snapshot snapshot(String yaml) {
        return Manifests.snapshot(scratch, POOLS + yaml);
    }

    private static String advertisement(String spec) {
        return "apiVersion: berth.dev/v1alpha1\nkind: L2Advertisement\nmetadata: {name: l2, namespace: berth-system}\nspec: " + spec + "\n---\n";
    }

    private static Set<InetAddress> ips(String... literals) {
        Set<InetAddress> set = new HashSet<>();
        for (String literal : literals) {
            set.add(InetAddress.ofLiteral(literal));
        }
        return set;
    }

    @Test
    void noAdvertisementNoAnnouncement() {
        assertThat(AnnouncementPlan.compute("a", Set.of("a"), snapshot(""), ADDRESSES).owned()).isEmpty();
    }

    @Test
    void aSingleNodeOwnsEveryAdvertisedIp() {
        AnnouncementPlan plan = AnnouncementPlan.compute("a", Set.of("a"), snapshot(advertisement("{ipAddressPools: [lan], interfaces: [eth1]}")), ADDRESSES);
        assertThat(plan.owned()).isEqualTo(ips("192.0.2.1", "192.0.2.2", "2001:db8::2"));
        assertThat(plan.interfaces()).containsExactly("eth1");
    }

    @Test
    void anAdvertisementWithoutPoolsAdvertisesThemAll() {
        assertThat(AnnouncementPlan.compute("a", Set.of("a"), snapshot(advertisement("{}")), ADDRESSES).owned())
                .contains(InetAddress.ofLiteral("198.51.100.1"));
    }

    @Test
    void poolsCanBeSelectedByLabel() {
        AnnouncementPlan plan = AnnouncementPlan.compute("a", Set.of("a"),
                snapshot(advertisement("{ipAddressPoolSelectors: [{matchLabels: {zone: a}}]}")), ADDRESSES);
        assertThat(plan.owned()).isEqualTo(ips("192.0.2.1", "192.0.2.2", "2001:db8::2"));
    }

    @Test
    void everyMemberComputesTheSameSplitAndNoIpHasTwoOwners() {
        Snapshot snapshot = snapshot(advertisement("{ipAddressPools: [lan]}"));
        Set<String> members = Set.of("a", "b", "c");
        Set<InetAddress> seen = new HashSet<>();
        for (String node : members) {
            for (InetAddress ip : AnnouncementPlan.compute(node, members, snapshot, ADDRESSES).owned()) {
                assertThat(seen.add(ip)).as(ip + " owned twice").isTrue();
            }
        }
        assertThat(seen).isEqualTo(ips("192.0.2.1", "192.0.2.2", "2001:db8::2"));
    }

    @Test
    void everyMemberNamesTheSameOwnersAndEachOwnerOwnsItsIps() {
        Snapshot snapshot = snapshot(advertisement("{ipAddressPools: [lan]}"));
        Set<String> members = Set.of("a", "b", "c");
        Map<InetAddress, String> owners = AnnouncementPlan.compute("a", members, snapshot, ADDRESSES).owners();
        assertThat(owners.keySet()).isEqualTo(ips("192.0.2.1", "192.0.2.2", "2001:db8::2"));
        for (String node : members) {
            AnnouncementPlan plan = AnnouncementPlan.compute(node, members, snapshot, ADDRESSES);
            assertThat(plan.owners()).isEqualTo(owners);
            owners.forEach((ip, owner) -> assertThat(plan.owned().contains(ip)).as(ip + " on " + node).isEqualTo(owner.equals(node)));
        }
    }

    @Test
    void nodeSelectorsAndNotReadyNodesNarrowTheCandidates() {
        String nodes = """
                apiVersion: v1
                kind: Node
                metadata: {name: b, labels: {edge: "true"}}
                status: {conditions: [{type: Ready, status: "False"}]}
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: c, labels: {edge: "true"}}
                status: {conditions: [{type: Ready, status: "True"}]}
                ---
                """;
        Snapshot snapshot = snapshot(nodes + advertisement("{ipAddressPools: [lan], nodeSelectors: [{matchLabels: {edge: \"true\"}}]}"));
        Set<String> members = Set.of("a", "b", "c");
        assertThat(AnnouncementPlan.compute("a", members, snapshot, ADDRESSES).owned()).as("a is not an edge node").isEmpty();
        assertThat(AnnouncementPlan.compute("b", members, snapshot, ADDRESSES).owned()).as("b is NotReady").isEmpty();
        assertThat(AnnouncementPlan.compute("c", members, snapshot, ADDRESSES).owned()).isEqualTo(ips("192.0.2.1", "192.0.2.2", "2001:db8::2"));
    }

    @Test
    void whenAMemberLeavesTheViewItsIpsMoveAndNoOtherDoes() {
        Snapshot snapshot = snapshot(advertisement("{ipAddressPools: [lan]}"));
        Set<InetAddress> aBefore = AnnouncementPlan.compute("a", Set.of("a", "b", "c"), snapshot, ADDRESSES).owned();
        Set<InetAddress> bBefore = AnnouncementPlan.compute("b", Set.of("a", "b", "c"), snapshot, ADDRESSES).owned();
        Set<InetAddress> aAfter = AnnouncementPlan.compute("a", Set.of("a", "c"), snapshot, ADDRESSES).owned();
        Set<InetAddress> cAfter = AnnouncementPlan.compute("c", Set.of("a", "c"), snapshot, ADDRESSES).owned();
        assertThat(aAfter).containsAll(aBefore);
        Set<InetAddress> survivors = new HashSet<>(aAfter);
        survivors.addAll(cAfter);
        assertThat(survivors).containsAll(bBefore).hasSize(3);
    }

    // --- externalTrafficPolicy: Local -------------------------------------------------------------------------

    private static final String LAN = advertisement("{ipAddressPools: [lan]}");
    private static final Set<String> ABC = Set.of("a", "b", "c");

    private static String service(String name, String policy) {
        return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: shop}\n"
                + "spec: {type: LoadBalancer, externalTrafficPolicy: " + policy + ", ports: [{name: http, port: 80}]}\n---\n";
    }

    /** A slice of {@code service} with one endpoint per entry: "node" (ready) or "node:false" (not ready). */
    private static String slice(String service, String... endpoints) {
        StringBuilder yaml = new StringBuilder("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: " + service
                + "-x, namespace: shop, labels: {kubernetes.io/service-name: " + service + "}}\naddressType: IPv4\n"
                + "ports: [{name: http, port: 8080}]\nendpoints:\n");
        int host = 10;
        for (String endpoint : endpoints) {
            String[] parts = endpoint.split(":");
            yaml.append("  - {addresses: [198.51.100.").append(host++).append("], nodeName: ").append(parts[0])
                    .append(parts.length > 1 ? ", conditions: {ready: " + parts[1] + "}" : "").append("}\n");
        }
        return yaml + "---\n";
    }

    private static AddressView holding(String ip, String... services) {
        List<ServiceAddress> list = new ArrayList<>();
        for (String service : services) {
            list.add(new ServiceAddress("shop", service, List.of(ip), "lan", services.length > 1 ? "k" : null, List.of()));
        }
        return new AddressView(list, List.of());
    }

    /** Every member's owned set for one IP: who owns it (null when nobody does), asserting nobody else does too. */
    private static String ownerOf(String ip, Snapshot snapshot, AddressView addresses) {
        String owner = null;
        for (String node : new TreeSet<>(ABC)) {
            if (AnnouncementPlan.compute(node, ABC, snapshot, addresses).owned().contains(InetAddress.ofLiteral(ip))) {
                assertThat(owner).as(ip + " owned by " + owner + " and " + node).isNull();
                owner = node;
            }
        }
        return owner;
    }

    @Test
    void localTrafficPutsTheIpOnTheNodeWithAReadyEndpoint() {
        AddressView web = holding("192.0.2.5", "web");
        assertThat(ownerOf("192.0.2.5", snapshot(LAN + service("web", "Local") + slice("web", "b")), web)).isEqualTo("b");
        assertThat(ownerOf("192.0.2.5", snapshot(LAN + service("web", "Local") + slice("web", "c")), web))
                .as("the endpoint moved, so does the IP").isEqualTo("c");
    }

    @Test
    void anEndpointThatIsNotReadyDoesNotCountAndAMissingConditionDoes() {
        AddressView web = holding("192.0.2.5", "web");
        for (String ready : List.of("a", "c")) {
            String notReady = ready.equals("a") ? "c" : "a";
            assertThat(ownerOf("192.0.2.5", snapshot(LAN + service("web", "Local") + slice("web", notReady + ":false", ready)), web))
                    .isEqualTo(ready);
        }
    }

    @Test
    void localWithoutAReadyEndpointOnALiveMemberIsNotAnnounced() {
        AddressView web = holding("192.0.2.5", "web");
        assertThat(ownerOf("192.0.2.5", snapshot(LAN + service("web", "Local") + slice("web", "d", "b:false")), web)).isNull();
        assertThat(ownerOf("192.0.2.5", snapshot(LAN + service("web", "Local")), web)).isNull();
    }

    @Test
    void clusterTrafficIgnoresWhereTheEndpointsAre() {
        AddressView web = holding("192.0.2.5", "web");
        String withoutSlice = ownerOf("192.0.2.5", snapshot(LAN + service("web", "Cluster")), web);
        assertThat(withoutSlice).isNotNull();
        String elsewhere = withoutSlice.equals("a") ? "b" : "a";
        assertThat(ownerOf("192.0.2.5", snapshot(LAN + service("web", "Cluster") + slice("web", elsewhere)), web)).isEqualTo(withoutSlice);
    }

    @Test
    void aSharedIpGoesToANodeWithEndpointsOfEveryService() {
        Snapshot snapshot = snapshot(LAN + service("s1", "Local") + service("s2", "Local") + slice("s1", "a", "b") + slice("s2", "b", "c"));
        AddressView shared = holding("192.0.2.5", "s1", "s2");
        assertThat(ownerOf("192.0.2.5", snapshot, shared)).isEqualTo("b");
        assertThat(AnnouncementPlan.compute("b", ABC, snapshot, shared).disputed()).isEmpty();
    }

    @Test
    void sharingServicesWithoutACommonNodeKeepTheIpOnOneNodeThatServesOneOfThem() {
        Snapshot snapshot = snapshot(LAN + service("s1", "Local") + service("s2", "Local") + slice("s1", "a") + slice("s2", "c"));
        AddressView shared = holding("192.0.2.5", "s1", "s2");
        assertThat(ownerOf("192.0.2.5", snapshot, shared)).isIn("a", "c");
        for (String node : ABC) {
            assertThat(AnnouncementPlan.compute(node, ABC, snapshot, shared).disputed()).as("seen from " + node)
                    .containsExactly(InetAddress.ofLiteral("192.0.2.5"));
        }
    }

    @Test
    void aSharingServiceWithNoEndpointsAnywhereDoesNotNarrowTheOthers() {
        Snapshot snapshot = snapshot(LAN + service("s1", "Local") + service("s2", "Local") + slice("s2", "c"));
        AddressView shared = holding("192.0.2.5", "s1", "s2");
        assertThat(ownerOf("192.0.2.5", snapshot, shared)).isEqualTo("c");
        assertThat(AnnouncementPlan.compute("c", ABC, snapshot, shared).disputed()).isEmpty();
    }

    @Test
    void anEndpointOnANodeTheAdvertisementDoesNotSelectDoesNotMakeItEligible() {
        Snapshot snapshot = snapshot(advertisement("{ipAddressPools: [lan], nodeSelectors: [{matchLabels: {kubernetes.io/hostname: a}}]}")
                + service("web", "Local") + slice("web", "b"));
        assertThat(ownerOf("192.0.2.5", snapshot, holding("192.0.2.5", "web"))).isNull();
    }
}
