package dev.berth.l2.pool;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An inclusive range of addresses of one family, as written in a pool: a CIDR ({@code 192.0.2.0/28})
 * or a dash range ({@code 192.0.2.10-192.0.2.20}). Pure value; addresses are held as unsigned numbers
 * so that an IPv6 /64 costs no more than an IPv4 /32.
 */
public record AddressRange(IpFamily family, BigInteger first, BigInteger last) {

    public AddressRange {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("first " + first + " > last " + last + " (expected: first <= last)");
        }
    }

    /**
     * Parses one entry of {@code spec.addresses}.
     *
     * @throws IllegalArgumentException with a message that says what was expected
     */
    public static AddressRange parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty address (expected: a CIDR such as 192.0.2.0/28 or a range a-b)");
        }
        int slash = trimmed.indexOf('/');
        if (slash >= 0) {
            return parseCidr(trimmed, slash);
        }
        int dash = trimmed.indexOf('-');
        if (dash >= 0) {
            return parseDashRange(trimmed, dash);
        }
        throw new IllegalArgumentException(
                "'" + trimmed + "' is neither a CIDR nor a range (expected: 192.0.2.0/28 or 192.0.2.10-192.0.2.20)");
    }

    private static AddressRange parseCidr(String text, int slash) {
        InetAddress base = parseLiteral(text.substring(0, slash), text);
        IpFamily family = familyOf(base);
        String lengthText = text.substring(slash + 1);
        int length;
        try {
            length = Integer.parseInt(lengthText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': prefix length '" + lengthText
                    + "' is not a number (expected: 0.." + family.bits() + ")");
        }
        if (length < 0 || length > family.bits()) {
            throw new IllegalArgumentException("'" + text + "': prefix length " + length + " is out of range for "
                    + family + " (expected: 0.." + family.bits() + ")");
        }
        BigInteger value = toNumber(base);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(family.bits() - length).subtract(BigInteger.ONE);
        BigInteger network = value.andNot(hostMask);
        if (!network.equals(value)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set (expected: "
                    + IpText.of(toAddress(family, network)) + "/" + length + ")");
        }
        return new AddressRange(family, network, network.or(hostMask));
    }

    private static AddressRange parseDashRange(String text, int dash) {
        InetAddress start = parseLiteral(text.substring(0, dash).strip(), text);
        InetAddress end = parseLiteral(text.substring(dash + 1).strip(), text);
        IpFamily family = familyOf(start);
        if (familyOf(end) != family) {
            throw new IllegalArgumentException("'" + text + "' mixes IPv4 and IPv6 (expected: both ends of one family)");
        }
        BigInteger first = toNumber(start);
        BigInteger last = toNumber(end);
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("'" + text + "': end " + IpText.of(end) + " precedes start "
                    + IpText.of(start) + " (expected: start <= end)");
        }
        return new AddressRange(family, first, last);
    }

    /** Parses an IP literal without ever consulting DNS. */
    private static InetAddress parseLiteral(String literal, String whole) {
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + whole + "': '" + literal
                    + "' is not an IP address (expected: an IPv4 or IPv6 literal)");
        }
    }

    static IpFamily familyOf(InetAddress address) {
        return address instanceof Inet4Address ? IpFamily.IPV4 : IpFamily.IPV6;
    }

    static BigInteger toNumber(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    static InetAddress toAddress(IpFamily family, BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[family.bits() / 8];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        try {
            return family == IpFamily.IPV4 ? Inet4Address.getByAddress(bytes) : Inet6Address.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("fixed-length address rejected", e);
        }
    }

    /** Number of addresses in the range. */
    public BigInteger size() {
        return last.subtract(first).add(BigInteger.ONE);
    }

    public boolean overlaps(AddressRange other) {
        return family == other.family && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    public boolean contains(InetAddress address) {
        BigInteger value = toNumber(address);
        return familyOf(address) == family && first.compareTo(value) <= 0 && value.compareTo(last) <= 0;
    }

    public InetAddress firstAddress() {
        return toAddress(family, first);
    }

    public InetAddress lastAddress() {
        return toAddress(family, last);
    }

    /** The canonical text: a dash range of the first and last address. */
    @Override
    public String toString() {
        return IpText.of(firstAddress()) + "-" + IpText.of(lastAddress());
    }
}
