package dev.berth.l2.frame;

import dev.berth.l2.frame.NdpMessage.NeighborAdvertisement;
import dev.berth.l2.frame.NdpMessage.NeighborSolicitation;
import java.net.Inet6Address;
import java.util.Objects;
import java.util.Optional;

/**
 * A neighbour solicitation or advertisement with its IPv6 and Ethernet headers. The NDP responder decodes
 * solicitations into this record and answers with an advertisement; the announcer sends unsolicited
 * advertisements when this node takes an address. Extension headers are neither written nor followed.
 *
 * @param hopLimit 255 on every valid NDP packet: receivers drop anything else, since a router in between
 *     would have lowered it (RFC 4861 section 7.1)
 */
public record NdpFrame(
        MacAddress ethernetDestination,
        MacAddress ethernetSource,
        Inet6Address ipSource,
        Inet6Address ipDestination,
        int hopLimit,
        NdpMessage message) {

    public static final int NDP_HOP_LIMIT = 255;

    private static final int IPV6_HEADER = 40;
    private static final int IP_AT = Ethernet.HEADER_LENGTH;
    private static final int ICMP_AT = IP_AT + IPV6_HEADER;
    private static final int NEXT_HEADER_ICMPV6 = 58;
    /** Type, code, checksum, flags/reserved and target. */
    private static final int MESSAGE_BODY = 24;
    private static final int OPTION_SOURCE_LINK_ADDRESS = 1;
    private static final int OPTION_TARGET_LINK_ADDRESS = 2;
    private static final int LINK_ADDRESS_OPTION = 8;
    private static final int FLAG_ROUTER = 0x80;
    private static final int FLAG_SOLICITED = 0x40;
    private static final int FLAG_OVERRIDE = 0x20;

    public NdpFrame {
        Objects.requireNonNull(ethernetDestination, "ethernetDestination");
        Objects.requireNonNull(ethernetSource, "ethernetSource");
        Objects.requireNonNull(ipSource, "ipSource");
        Objects.requireNonNull(ipDestination, "ipDestination");
        Objects.requireNonNull(message, "message");
        if (hopLimit < 0 || hopLimit > 255) {
            throw new IllegalArgumentException("hop limit: " + hopLimit + " (expected: 0..255)");
        }
    }

    /** A multicast solicitation for {@code target} as a host sends it before it knows the answer. */
    public static NdpFrame solicitation(MacAddress senderMac, Inet6Address senderIp, Inet6Address target) {
        return new NdpFrame(
                Ipv6Multicast.solicitedNodeMac(target),
                senderMac,
                senderIp,
                Ipv6Multicast.solicitedNode(target),
                NDP_HOP_LIMIT,
                new NeighborSolicitation(target, Optional.of(senderMac)));
    }

    /**
     * The modified EUI-64 link-local address of {@code mac} (RFC 4291 appendix A): an IPv6 source that answers come
     * back to at {@code mac}, for solicitations sent from raw sockets.
     */
    public static Inet6Address linkLocal(MacAddress mac) {
        byte[] m = mac.bytes();
        return Bytes.readIpv6(new byte[] {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0,
                (byte) (m[0] ^ 0x02), m[1], m[2], (byte) 0xff, (byte) 0xfe, m[3], m[4], m[5]}, 0);
    }

    /** "{@code ip} is at {@code mac}" to all nodes, overriding caches, as on taking over an address. */
    public static NdpFrame unsolicitedAdvertisement(MacAddress mac, Inet6Address ip) {
        return new NdpFrame(
                Ipv6Multicast.mac(Ipv6Multicast.ALL_NODES),
                mac,
                ip,
                Ipv6Multicast.ALL_NODES,
                NDP_HOP_LIMIT,
                new NeighborAdvertisement(ip, false, false, true, Optional.of(mac)));
    }

    public byte[] encode() {
        Optional<MacAddress> linkAddress = switch (message) {
            case NeighborSolicitation s -> s.sourceLinkAddress();
            case NeighborAdvertisement a -> a.targetLinkAddress();
        };
        int messageLength = MESSAGE_BODY + (linkAddress.isPresent() ? LINK_ADDRESS_OPTION : 0);
        byte[] frame = new byte[ICMP_AT + messageLength];
        Ethernet.writeHeader(frame, ethernetDestination, ethernetSource, Ethernet.TYPE_IPV6);
        frame[IP_AT] = 0x60;
        Bytes.writeShort(frame, IP_AT + 4, messageLength);
        frame[IP_AT + 6] = NEXT_HEADER_ICMPV6;
        frame[IP_AT + 7] = (byte) hopLimit;
        Bytes.writeAddress(frame, IP_AT + 8, ipSource);
        Bytes.writeAddress(frame, IP_AT + 24, ipDestination);
        int optionType = switch (message) {
            case NeighborSolicitation _ -> {
                frame[ICMP_AT] = (byte) NdpMessage.TYPE_NEIGHBOR_SOLICITATION;
                yield OPTION_SOURCE_LINK_ADDRESS;
            }
            case NeighborAdvertisement a -> {
                frame[ICMP_AT] = (byte) NdpMessage.TYPE_NEIGHBOR_ADVERTISEMENT;
                frame[ICMP_AT + 4] = (byte) ((a.router() ? FLAG_ROUTER : 0)
                        | (a.solicited() ? FLAG_SOLICITED : 0)
                        | (a.override() ? FLAG_OVERRIDE : 0));
                yield OPTION_TARGET_LINK_ADDRESS;
            }
        };
        Bytes.writeAddress(frame, ICMP_AT + 8, message.target());
        if (linkAddress.isPresent()) {
            frame[ICMP_AT + MESSAGE_BODY] = (byte) optionType;
            frame[ICMP_AT + MESSAGE_BODY + 1] = 1;
            linkAddress.get().write(frame, ICMP_AT + MESSAGE_BODY + 2);
        }
        Bytes.writeShort(frame, ICMP_AT + 2, Icmpv6Checksum.compute(frame, IP_AT + 8, ICMP_AT, messageLength));
        return frame;
    }

    /**
     * Reads the first {@code length} bytes of {@code frame}. Checks what every receiver checks except the hop
     * limit, which is reported so that the responder can name it.
     */
    public static Decoded<NdpFrame> decode(byte[] frame, int length) {
        if (length < Ethernet.HEADER_LENGTH || length > frame.length) {
            return Decoded.failed(DecodeFailure.SHORT_FRAME);
        }
        if (Ethernet.etherType(frame) != Ethernet.TYPE_IPV6) {
            return Decoded.failed(DecodeFailure.WRONG_ETHERTYPE);
        }
        if (length < ICMP_AT) {
            return Decoded.failed(DecodeFailure.TRUNCATED);
        }
        if ((frame[IP_AT] & 0xf0) != 0x60) {
            return Decoded.failed(DecodeFailure.MALFORMED);
        }
        int payloadLength = Bytes.readShort(frame, IP_AT + 4);
        if (ICMP_AT + payloadLength > length) {
            return Decoded.failed(DecodeFailure.TRUNCATED);
        }
        if ((frame[IP_AT + 6] & 0xff) != NEXT_HEADER_ICMPV6) {
            return Decoded.failed(DecodeFailure.NOT_ICMPV6);
        }
        if (payloadLength < 4) {
            return Decoded.failed(DecodeFailure.TRUNCATED);
        }
        int type = frame[ICMP_AT] & 0xff;
        if (type != NdpMessage.TYPE_NEIGHBOR_SOLICITATION && type != NdpMessage.TYPE_NEIGHBOR_ADVERTISEMENT) {
            return Decoded.failed(DecodeFailure.NOT_NEIGHBOR_DISCOVERY);
        }
        if (payloadLength < MESSAGE_BODY) {
            return Decoded.failed(DecodeFailure.TRUNCATED);
        }
        if (Icmpv6Checksum.compute(frame, IP_AT + 8, ICMP_AT, payloadLength) != 0) {
            return Decoded.failed(DecodeFailure.BAD_CHECKSUM);
        }
        Inet6Address target = Bytes.readIpv6(frame, ICMP_AT + 8);
        if (frame[ICMP_AT + 1] != 0 || target.isMulticastAddress()) {
            return Decoded.failed(DecodeFailure.MALFORMED);
        }
        int wanted = type == NdpMessage.TYPE_NEIGHBOR_SOLICITATION ? OPTION_SOURCE_LINK_ADDRESS : OPTION_TARGET_LINK_ADDRESS;
        Optional<MacAddress> linkAddress = Optional.empty();
        int end = ICMP_AT + payloadLength;
        for (int at = ICMP_AT + MESSAGE_BODY; at < end; ) {
            if (at + 2 > end) {
                return Decoded.failed(DecodeFailure.MALFORMED);
            }
            int optionLength = (frame[at + 1] & 0xff) * 8;
            if (optionLength == 0 || at + optionLength > end) {
                return Decoded.failed(DecodeFailure.MALFORMED);
            }
            // Unknown options are skipped, as RFC 4861 section 4.6 asks.
            if ((frame[at] & 0xff) == wanted && optionLength >= 2 + MacAddress.LENGTH) {
                linkAddress = Optional.of(MacAddress.read(frame, at + 2));
            }
            at += optionLength;
        }
        int flags = frame[ICMP_AT + 4] & 0xff;
        NdpMessage message = type == NdpMessage.TYPE_NEIGHBOR_SOLICITATION
                ? new NeighborSolicitation(target, linkAddress)
                : new NeighborAdvertisement(target, (flags & FLAG_ROUTER) != 0, (flags & FLAG_SOLICITED) != 0,
                        (flags & FLAG_OVERRIDE) != 0, linkAddress);
        return Decoded.frame(new NdpFrame(
                Ethernet.destination(frame),
                Ethernet.source(frame),
                Bytes.readIpv6(frame, IP_AT + 8),
                Bytes.readIpv6(frame, IP_AT + 24),
                frame[IP_AT + 7] & 0xff,
                message));
    }
}
