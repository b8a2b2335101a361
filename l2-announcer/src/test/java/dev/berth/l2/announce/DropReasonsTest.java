package dev.berth.l2.announce;

import static dev.berth.l2.announce.Crafted.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.frame.ArpFrame;
import dev.berth.l2.frame.Ipv6Multicast;
import dev.berth.l2.frame.MacAddress;
import dev.berth.l2.frame.NdpFrame;
import dev.berth.l2.frame.NdpMessage.NeighborSolicitation;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every {@link DropReason}, each reached by a crafted frame through the responder the receive loop would pick. */
class DropReasonsTest {

    /** {@code responder} null: the one the receive loop picks by EtherType. */
    record Case(String name, Responder responder, byte[] frame, int length, DropReason expected) {
        Case(String name, byte[] frame, int length, DropReason expected) {
            this(name, null, frame, length, expected);
        }

        Case(String name, byte[] frame, DropReason expected) {
            this(name, null, frame, frame.length, expected);
        }

        @Override
        public String toString() {
            return name + " → " + expected;
        }
    }

    private static final Set<DropReason> REACHED = EnumSet.noneOf(DropReason.class);

    static Stream<Case> cases() {
        byte[] arp = arpRequest(VIP).encode();
        byte[] ns = solicitation(VIP6).encode();
        return Stream.of(
                new Case("13 bytes", Arrays.copyOf(arp, 13), DropReason.SHORT_FRAME),
                new Case("empty", new byte[0], DropReason.SHORT_FRAME),
                new Case("ARP cut after the operation", arp, 22, DropReason.TRUNCATED),
                new Case("ARP for 802.5 hardware", set(arp.clone(), 15, 6), DropReason.MALFORMED),
                new Case("ARP with sender MAC broadcast",
                        new ArpFrame(MacAddress.BROADCAST, CLIENT_MAC, ArpFrame.REQUEST, MacAddress.BROADCAST, CLIENT_IP,
                                MacAddress.ZERO, VIP).encode(), DropReason.MALFORMED),
                new Case("our own gratuitous ARP looped back",
                        ArpFrame.gratuitous(ArpFrame.REQUEST, NODE_MAC, VIP).encode(), DropReason.FROM_SELF),
                new Case("ARP reply", ArpFrame.reply(arpRequest(CLIENT_IP), MacAddress.parse("02:b0:00:00:00:99"))
                        .encode(), DropReason.ARP_REPLY),
                new Case("RARP request (operation 3)", set(arp.clone(), 21, 3), DropReason.UNSUPPORTED_OPERATION),
                new Case("ARP request unicast to another MAC",
                        new ArpFrame(MacAddress.parse("02:b0:00:00:00:99"), CLIENT_MAC, ArpFrame.REQUEST, CLIENT_MAC,
                                CLIENT_IP, MacAddress.ZERO, VIP).encode(), DropReason.WRONG_ETHERNET_DESTINATION),
                new Case("another host's gratuitous ARP for our VIP",
                        ArpFrame.gratuitous(ArpFrame.REQUEST, CLIENT_MAC, VIP).encode(), DropReason.GRATUITOUS),
                new Case("ARP request for an IP we do not own", arpRequest(OTHER_IP).encode(), DropReason.NOT_OWNED),
                new Case("IPv6 frame given to the ARP responder", ArpResponder.INSTANCE, ns, ns.length,
                        DropReason.NOT_ARP),
                new Case("IPv4 frame", set(set(ns.clone(), 12, 0x08), 13, 0x00), DropReason.NOT_IPV6),
                new Case("NS cut inside the IPv6 header", ns, 40, DropReason.TRUNCATED),
                new Case("NS cut before its link-layer option", ns, ns.length - 4, DropReason.TRUNCATED),
                new Case("IPv6 header claiming version 4", set(ns.clone(), 14, 0x40), DropReason.MALFORMED),
                new Case("NS for a multicast target", multicastTarget(), DropReason.MALFORMED),
                new Case("DAD probe with a link-layer option", dadWithOption(), DropReason.MALFORMED),
                new Case("our own NS looped back", NdpFrame.solicitation(NODE_MAC, VIP6, OTHER_IP6).encode(),
                        DropReason.FROM_SELF),
                new Case("NS sent to another node's MAC", withEthernetDestination(ns.clone(), "02:b0:00:00:00:99"),
                        DropReason.WRONG_ETHERNET_DESTINATION),
                new Case("NS for our VIP sent to the solicited-node group of another address", wrongGroup(),
                        DropReason.WRONG_IP_DESTINATION),
                new Case("NS for an IP we do not own", solicitation(OTHER_IP6).encode(), DropReason.NOT_OWNED),
                new Case("UDP over IPv6", set(ns.clone(), 20, 17), DropReason.NOT_ICMPV6),
                new Case("ICMPv6 echo request", patched(ns.clone(), 54, 128), DropReason.NOT_NEIGHBOR_DISCOVERY),
                new Case("neighbour advertisement", NdpFrame.unsolicitedAdvertisement(CLIENT_MAC, CLIENT_IP6).encode(),
                        DropReason.NEIGHBOR_ADVERTISEMENT),
                new Case("NS with a flipped target bit", set(ns.clone(), 70, ns[70] ^ 1), DropReason.BAD_CHECKSUM),
                new Case("NS that crossed a router (hop limit 254)",
                        new NdpFrame(Ipv6Multicast.solicitedNodeMac(VIP6), CLIENT_MAC, CLIENT_IP6,
                                Ipv6Multicast.solicitedNode(VIP6), 254,
                                new NeighborSolicitation(VIP6, Optional.of(CLIENT_MAC))).encode(),
                        DropReason.BAD_HOP_LIMIT));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void craftedFrameIsDroppedForItsReason(Case c) {
        byte[] before = c.frame().clone();
        Responder responder = c.responder() != null ? c.responder() : ReceiveLoop.responderFor(c.frame(), c.length());
        Verdict verdict = responder.respond(c.frame(), c.length(), NODE, OWNED);
        assertThat(verdict).isEqualTo(Verdict.drop(c.expected()));
        assertThat(c.frame()).as("frame not mutated").isEqualTo(before);
        REACHED.add(c.expected());
    }

    @AfterAll
    static void everyReasonIsReached() {
        assertThat(REACHED).containsExactlyInAnyOrder(DropReason.values());
    }

    private static byte[] set(byte[] frame, int offset, int value) {
        frame[offset] = (byte) value;
        return frame;
    }

    private static byte[] withEthernetDestination(byte[] frame, String mac) {
        MacAddress.parse(mac).write(frame, 0);
        return frame;
    }

    private static byte[] multicastTarget() {
        Inet6Address group = (Inet6Address) InetAddress.ofLiteral("ff02::1:ff00:100");
        return new NdpFrame(Ipv6Multicast.solicitedNodeMac(VIP6), CLIENT_MAC, CLIENT_IP6, Ipv6Multicast.solicitedNode(VIP6),
                NdpFrame.NDP_HOP_LIMIT, new NeighborSolicitation(group, Optional.empty())).encode();
    }

    private static byte[] dadWithOption() {
        NdpFrame dad = duplicateAddressProbe(VIP6);
        return new NdpFrame(dad.ethernetDestination(), dad.ethernetSource(), dad.ipSource(), dad.ipDestination(),
                dad.hopLimit(), new NeighborSolicitation(VIP6, Optional.of(CLIENT_MAC))).encode();
    }

    private static byte[] wrongGroup() {
        Inet6Address group = Ipv6Multicast.solicitedNode(OTHER_IP6);
        return new NdpFrame(Ipv6Multicast.mac(group), CLIENT_MAC, CLIENT_IP6, group, NdpFrame.NDP_HOP_LIMIT,
                new NeighborSolicitation(VIP6, Optional.of(CLIENT_MAC))).encode();
    }
}
