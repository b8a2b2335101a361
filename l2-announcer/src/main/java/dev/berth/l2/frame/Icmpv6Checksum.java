package dev.berth.l2.frame;

/**
 * The ICMPv6 checksum (RFC 4443 section 2.3): the one's-complement sum over the IPv6 pseudo-header (source,
 * destination, upper-layer length, next header 58) and the ICMPv6 message.
 */
public final class Icmpv6Checksum {

    private static final int NEXT_HEADER_ICMPV6 = 58;

    private Icmpv6Checksum() {}

    /**
     * The checksum of the ICMPv6 message at {@code messageOffset}, {@code messageLength} bytes long, whose
     * addresses are at {@code sourceOffset} and {@code sourceOffset + 16}. Computed with the checksum field as
     * it is: over a message with its checksum filled in, a correct one sums to 0.
     */
    public static int compute(byte[] frame, int sourceOffset, int messageOffset, int messageLength) {
        long sum = 0;
        for (int i = 0; i < 32; i += 2) {
            sum += Bytes.readShort(frame, sourceOffset + i);
        }
        sum += messageLength >>> 16;
        sum += messageLength & 0xffff;
        sum += NEXT_HEADER_ICMPV6;
        int end = messageOffset + messageLength;
        for (int i = messageOffset; i + 1 < end; i += 2) {
            sum += Bytes.readShort(frame, i);
        }
        if ((messageLength & 1) != 0) {
            sum += (frame[end - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
