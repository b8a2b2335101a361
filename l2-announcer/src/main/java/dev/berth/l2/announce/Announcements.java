package dev.berth.l2.announce;

import dev.berth.l2.frame.ArpFrame;
import dev.berth.l2.frame.MacAddress;
import dev.berth.l2.frame.NdpFrame;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * The unsolicited frames that tell a LAN "this address is now here": gratuitous ARP for IPv4, an unsolicited
 * neighbour advertisement with the override flag for IPv6. The announcer sends one round of these per burst
 * step and per refresh.
 */
public final class Announcements {

    private Announcements() {}

    /**
     * One round for {@code ip}: IPv4 gets a gratuitous request and a gratuitous reply (hosts differ in which one
     * updates their cache), IPv6 one advertisement to ff02::1 with S=0, O=1.
     */
    public static List<byte[]> of(MacAddress mac, InetAddress ip) {
        return switch (ip) {
            case Inet4Address v4 -> List.of(
                    ArpFrame.gratuitous(ArpFrame.REQUEST, mac, v4).encode(),
                    ArpFrame.gratuitous(ArpFrame.REPLY, mac, v4).encode());
            case Inet6Address v6 -> List.of(NdpFrame.unsolicitedAdvertisement(mac, v6).encode());
            default -> throw new IllegalArgumentException("address: " + ip + " (expected: IPv4 or IPv6)");
        };
    }

    /**
     * "Who answers for {@code ip}?", asked so that only the asker hears the answer and no neighbour table changes:
     * an ARP probe (sender 0.0.0.0) for IPv4; for IPv6 a solicitation from the EUI-64 link-local address of
     * {@code mac}, answered by unicast (a DAD probe's answer would go to all nodes with the override flag).
     */
    public static byte[] probe(MacAddress mac, InetAddress ip) {
        return switch (ip) {
            case Inet4Address v4 -> ArpFrame.probe(mac, v4).encode();
            case Inet6Address v6 -> NdpFrame.solicitation(mac, NdpFrame.linkLocal(mac), v6).encode();
            default -> throw new IllegalArgumentException("address: " + ip + " (expected: IPv4 or IPv6)");
        };
    }
}
