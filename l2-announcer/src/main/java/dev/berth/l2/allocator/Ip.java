package dev.berth.l2.allocator;

import dev.berth.l2.pool.IpFamily;
import dev.berth.l2.pool.IpText;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * One address as the allocator computes with it: family plus unsigned value, so that "next address",
 * "lowest free" and range arithmetic are plain number operations, and IPv4 and IPv6 share one code path.
 */
record Ip(IpFamily family, BigInteger value) implements Comparable<Ip> {

    private static final Comparator<Ip> ORDER = Comparator.comparing(Ip::family).thenComparing(Ip::value);
    private static final BigInteger LOW_BYTE = BigInteger.valueOf(0xff);

    static Ip of(InetAddress address) {
        IpFamily family = address instanceof Inet4Address ? IpFamily.IPV4 : IpFamily.IPV6;
        return new Ip(family, new BigInteger(1, address.getAddress()));
    }

    InetAddress toInetAddress() {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[family.bits() / 8];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        try {
            // Inet6Address explicitly: InetAddress.getByAddress would turn ::ffff:a.b.c.d into IPv4.
            return family == IpFamily.IPV4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("fixed-length address rejected", e);
        }
    }

    /** IPv4 .0 and .255: some CPE firmware takes them for broadcast addresses and drops their packets. */
    boolean confusesBuggyFirmware() {
        return isBuggy(family, value);
    }

    static boolean isBuggy(IpFamily family, BigInteger value) {
        if (family != IpFamily.IPV4) {
            return false;
        }
        int lowByte = value.and(LOW_BYTE).intValue();
        return lowByte == 0 || lowByte == 255;
    }

    @Override
    public int compareTo(Ip other) {
        return ORDER.compare(this, other);
    }

    /** The usual text: dotted quad, or RFC 5952 IPv6 (longest run of zero groups shortened to ::). */
    @Override
    public String toString() {
        return text(toInetAddress());
    }

    static String text(InetAddress address) {
        return IpText.of(address);
    }

    /** {@code 192.0.2.1, 2001:db8::1} for messages. */
    static String describe(Collection<InetAddress> addresses) {
        return addresses.stream().map(Ip::text).collect(Collectors.joining(", "));
    }
}
