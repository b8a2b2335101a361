package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.Manifests;
import dev.berth.appliance.snapshot.Snapshot;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
}
