package dev.berth.l2.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings from command-line text: what is accepted, and one clear line naming the field for what is not. */
class MembershipSettingsTest {

    @Test
    void peersTakeThePortOfTheirOwnOrTheDefault() {
        MembershipSettings settings = MembershipSettings.of("node1", "192.0.2.11", 7800,
                List.of("192.0.2.12", "192.0.2.13:7801", "node4.example:7802", "[2001:db8::12]:7803", "[2001:db8::13]",
                        "2001:db8::14", " 192.0.2.15 "),
                "berth");
        assertThat(settings.peers()).containsExactly(
                new Peer("192.0.2.12", 7800), new Peer("192.0.2.13", 7801), new Peer("node4.example", 7802),
                new Peer("2001:db8::12", 7803), new Peer("2001:db8::13", 7800), new Peer("2001:db8::14", 7800),
                new Peer("192.0.2.15", 7800));
        assertThat(settings.bindAddress()).isEqualTo(InetAddress.ofLiteral("192.0.2.11"));
        assertThat(settings.multicastDiscovery()).isFalse();
    }

    @Test
    void noPeersMeansMulticastDiscovery() {
        assertThat(MembershipSettings.of("node1", "2001:db8::11", 7800, List.of(), "berth").multicastDiscovery()).isTrue();
    }

    @Test
    void peersPrintAsTheyAreWritten() {
        assertThat(new Peer("2001:db8::12", 7800)).hasToString("[2001:db8::12]:7800");
        assertThat(new Peer("192.0.2.12", 7800)).hasToString("192.0.2.12:7800");
    }

    @Test
    void theSettingsKeepTheirOwnCopyOfThePeers() {
        List<Peer> peers = new ArrayList<>(List.of(new Peer("192.0.2.12", 7800)));
        MembershipSettings settings = new MembershipSettings("node1", InetAddress.ofLiteral("192.0.2.11"), 7800, peers, "berth");
        peers.clear();
        assertThat(settings.peers()).hasSize(1);
    }

    @Test
    void badValuesSayWhichFieldAndWhatWasExpected() {
        assertRefused(() -> MembershipSettings.of("node1", "eth0", 7800, List.of(), "berth"),
                "bindAddress: 'eth0' (expected: an IP literal of this host, e.g. 192.0.2.11 or 2001:db8::11)");
        assertRefused(() -> MembershipSettings.of("node1", "0.0.0.0", 7800, List.of(), "berth"),
                "bindAddress: 0.0.0.0 (expected: one unicast address of this host, on the LAN interface; peers connect to it)");
        assertRefused(() -> MembershipSettings.of("node1", "192.0.2.11", 0, List.of(), "berth"),
                "port: 0 (expected: 1..65535)");
        assertRefused(() -> MembershipSettings.of(" ", "192.0.2.11", 7800, List.of(), "berth"),
                "node: ' ' (expected: a non-empty name, e.g. the host name)");
        assertRefused(() -> MembershipSettings.of("node1", "192.0.2.11", 7800, List.of(), ""),
                "cluster: '' (expected: a non-empty name, e.g. berth)");
        assertRefused(() -> MembershipSettings.of("node1", "192.0.2.11", 7800, List.of("192.0.2.12:70000"), "berth"),
                "peers: '192.0.2.12:70000' (expected: PORT in 1..65535)");
        assertRefused(() -> MembershipSettings.of("node1", "192.0.2.11", 7800, List.of("192.0.2.12:"), "berth"),
                "peers: '192.0.2.12:' (expected: HOST[:PORT], e.g. 192.0.2.12:7800 or [2001:db8::12]:7800)");
        assertRefused(() -> MembershipSettings.of("node1", "192.0.2.11", 7800, List.of("node_2:7800"), "berth"),
                "peers: 'node_2:7800' (expected: HOST[:PORT], e.g. 192.0.2.12:7800 or [2001:db8::12]:7800)");
        assertRefused(() -> MembershipSettings.of("node1", "192.0.2.11", 7800, List.of(""), "berth"),
                "peers: '' (expected: HOST[:PORT], e.g. 192.0.2.12:7800 or [2001:db8::12]:7800)");
    }

    private static void assertRefused(Runnable parse, String message) {
        assertThatThrownBy(parse::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
