package dev.berth.l2.announce;

import dev.berth.l2.frame.ArpFrame;
import dev.berth.l2.frame.Icmpv6Checksum;
import dev.berth.l2.frame.Ipv6Multicast;
import dev.berth.l2.frame.MacAddress;
import dev.berth.l2.frame.NdpFrame;
import dev.berth.l2.frame.NdpMessage.NeighborSolicitation;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;

/** The test LAN of the responder tests: one node that owns two VIPs, one client that asks about them. */
final class Crafted {

    static final MacAddress NODE_MAC = MacAddress.parse("02:b0:00:00:00:11");
    static final Link NODE = new Link("eth0", 2, NODE_MAC);
    static final MacAddress CLIENT_MAC = MacAddress.parse("02:b0:00:00:00:02");
    static final Inet4Address CLIENT_IP = (Inet4Address) InetAddress.ofLiteral("192.0.2.2");
    static final Inet6Address CLIENT_IP6 = (Inet6Address) InetAddress.ofLiteral("2001:db8::2");
    static final Inet4Address VIP = (Inet4Address) InetAddress.ofLiteral("192.0.2.100");
    static final Inet4Address OTHER_IP = (Inet4Address) InetAddress.ofLiteral("192.0.2.101");
    static final Inet6Address VIP6 = (Inet6Address) InetAddress.ofLiteral("2001:db8::100");
    static final Inet6Address OTHER_IP6 = (Inet6Address) InetAddress.ofLiteral("2001:db8::101");
    static final Set<InetAddress> OWNED = Set.of(VIP, VIP6);

    private Crafted() {}

    static ArpFrame arpRequest(Inet4Address target) {
        return ArpFrame.request(CLIENT_MAC, CLIENT_IP, target);
    }

    static NdpFrame solicitation(Inet6Address target) {
        return NdpFrame.solicitation(CLIENT_MAC, CLIENT_IP6, target);
    }

    /** Neighbour unreachability detection: unicast to the target, at the MAC the client has cached. */
    static NdpFrame reachabilityProbe(Inet6Address target) {
        return new NdpFrame(NODE_MAC, CLIENT_MAC, CLIENT_IP6, target, NdpFrame.NDP_HOP_LIMIT,
                new NeighborSolicitation(target, Optional.of(CLIENT_MAC)));
    }

    /** Duplicate address detection: from ::, no link-layer option. */
    static NdpFrame duplicateAddressProbe(Inet6Address target) {
        return new NdpFrame(Ipv6Multicast.solicitedNodeMac(target), CLIENT_MAC,
                (Inet6Address) InetAddress.ofLiteral("::"), Ipv6Multicast.solicitedNode(target),
                NdpFrame.NDP_HOP_LIMIT, new NeighborSolicitation(target, Optional.empty()));
    }

    /** Sets one byte of an encoded NDP frame and fixes the checksum, to get past the checksum test. */
    static byte[] patched(byte[] frame, int offset, int value) {
        frame[offset] = (byte) value;
        frame[56] = 0;
        frame[57] = 0;
        int length = ((frame[18] & 0xff) << 8) | (frame[19] & 0xff);
        int checksum = Icmpv6Checksum.compute(frame, 22, 54, length);
        frame[56] = (byte) (checksum >>> 8);
        frame[57] = (byte) checksum;
        return frame;
    }
}
