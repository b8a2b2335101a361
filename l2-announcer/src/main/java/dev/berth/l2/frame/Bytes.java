package dev.berth.l2.frame;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Network-order field access shared by the frame codecs. */
final class Bytes {

    private Bytes() {}

    static int readShort(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 8) | (b[offset + 1] & 0xff);
    }

    static void writeShort(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }

    static Inet4Address readIpv4(byte[] b, int offset) {
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, offset, offset + 4));
        } catch (UnknownHostException e) {
            throw new AssertionError("4-byte address rejected", e);
        }
    }

    static Inet6Address readIpv6(byte[] b, int offset) {
        try {
            // Inet6Address explicitly: InetAddress.getByAddress would turn ::ffff:a.b.c.d into IPv4.
            return Inet6Address.getByAddress(null, Arrays.copyOfRange(b, offset, offset + 16), -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("16-byte address rejected", e);
        }
    }

    static void writeAddress(byte[] b, int offset, InetAddress address) {
        byte[] raw = address.getAddress();
        System.arraycopy(raw, 0, b, offset, raw.length);
    }
}
