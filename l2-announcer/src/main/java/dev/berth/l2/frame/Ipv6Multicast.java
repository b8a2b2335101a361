package dev.berth.l2.frame;

import java.net.Inet6Address;

/**
 * IPv6 multicast addresses neighbour discovery uses and the Ethernet groups they map to (RFC 4291, RFC 2464).
 * A node asks for {@code 2001:db8::100} at its solicited-node group {@code ff02::1:ff00:100}, Ethernet
 * {@code 33:33:ff:00:01:00}; the announcer joins that group on its packet socket to hear the question.
 */
public final class Ipv6Multicast {

    /** ff02::1, every node on the link: where unsolicited advertisements go. */
    public static final Inet6Address ALL_NODES = address(new byte[] {
            (byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

    private Ipv6Multicast() {}

    /** ff02::1:ffXX:XXXX from the low 24 bits of {@code address}. */
    public static Inet6Address solicitedNode(Inet6Address address) {
        byte[] a = address.getAddress();
        return address(new byte[] {
                (byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff, a[13], a[14], a[15]});
    }

    /** 33:33 followed by the low 32 bits of a multicast {@code group}. */
    public static MacAddress mac(Inet6Address group) {
        byte[] g = group.getAddress();
        byte[] mac = {0x33, 0x33, g[12], g[13], g[14], g[15]};
        return MacAddress.of(mac);
    }

    /** The Ethernet group a neighbour solicitation for {@code address} is sent to: 33:33:ff:XX:XX:XX. */
    public static MacAddress solicitedNodeMac(Inet6Address address) {
        return mac(solicitedNode(address));
    }

    private static Inet6Address address(byte[] bytes) {
        return Bytes.readIpv6(bytes, 0);
    }
}
