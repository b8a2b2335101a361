package dev.berth.l2.frame;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An ARP packet for IPv4 over Ethernet, with the Ethernet header that carries it (RFC 826). The ARP responder
 * decodes requests into this record and answers with {@link #reply}; the announcer sends {@link #gratuitous}
 * frames when this node takes an address.
 *
 * @param operation {@link #REQUEST} or {@link #REPLY}; other values decode but are never answered
 */
public record ArpFrame(
        MacAddress ethernetDestination,
        MacAddress ethernetSource,
        int operation,
        MacAddress senderMac,
        Inet4Address senderIp,
        MacAddress targetMac,
        Inet4Address targetIp) {

    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    /** Ethernet header plus the 28-byte ARP body; NICs pad it to 60 on the wire. */
    public static final int LENGTH = Ethernet.HEADER_LENGTH + 28;
    /** 0.0.0.0, the sender IP of a probe. */
    private static final Inet4Address UNSPECIFIED = (Inet4Address) InetAddress.ofLiteral("0.0.0.0");

    private static final int HARDWARE_ETHERNET = 1;
    private static final int PROTOCOL_IPV4 = 0x0800;

    public ArpFrame {
        Objects.requireNonNull(ethernetDestination, "ethernetDestination");
        Objects.requireNonNull(ethernetSource, "ethernetSource");
        Objects.requireNonNull(senderMac, "senderMac");
        Objects.requireNonNull(senderIp, "senderIp");
        Objects.requireNonNull(targetMac, "targetMac");
        Objects.requireNonNull(targetIp, "targetIp");
        if (operation < 0 || operation > 0xffff) {
            throw new IllegalArgumentException("ARP operation: " + operation + " (expected: 0..65535)");
        }
    }

    /** A broadcast "who has {@code targetIp}?". */
    public static ArpFrame request(MacAddress senderMac, Inet4Address senderIp, Inet4Address targetIp) {
        return new ArpFrame(MacAddress.BROADCAST, senderMac, REQUEST, senderMac, senderIp, MacAddress.ZERO, targetIp);
    }

    /**
     * A broadcast "who has {@code targetIp}?" from {@code senderMac} with sender IP 0.0.0.0 (an RFC 5227 probe): the
     * owner answers it to the asker alone, and no neighbour table learns anything from it.
     */
    public static ArpFrame probe(MacAddress senderMac, Inet4Address targetIp) {
        return request(senderMac, UNSPECIFIED, targetIp);
    }

    /** The answer to {@code request}: "{@code request.targetIp} is at {@code ourMac}", sent to the asker only. */
    public static ArpFrame reply(ArpFrame request, MacAddress ourMac) {
        return new ArpFrame(request.senderMac, ourMac, REPLY, ourMac, request.targetIp, request.senderMac, request.senderIp);
    }

    /**
     * An unsolicited broadcast that maps {@code ip} to {@code mac} in every neighbour table that already holds
     * {@code ip}. Sender and target IP are both {@code ip}; {@code operation} is REQUEST or REPLY, since hosts
     * differ in which one they accept (MetalLB sends both).
     */
    public static ArpFrame gratuitous(int operation, MacAddress mac, Inet4Address ip) {
        MacAddress targetMac = operation == REPLY ? MacAddress.BROADCAST : MacAddress.ZERO;
        return new ArpFrame(MacAddress.BROADCAST, mac, operation, mac, ip, targetMac, ip);
    }

    public boolean isGratuitous() {
        return senderIp.equals(targetIp);
    }

    public byte[] encode() {
        byte[] frame = new byte[LENGTH];
        Ethernet.writeHeader(frame, ethernetDestination, ethernetSource, Ethernet.TYPE_ARP);
        int at = Ethernet.HEADER_LENGTH;
        Bytes.writeShort(frame, at, HARDWARE_ETHERNET);
        Bytes.writeShort(frame, at + 2, PROTOCOL_IPV4);
        frame[at + 4] = MacAddress.LENGTH;
        frame[at + 5] = 4;
        Bytes.writeShort(frame, at + 6, operation);
        senderMac.write(frame, at + 8);
        Bytes.writeAddress(frame, at + 14, senderIp);
        targetMac.write(frame, at + 18);
        Bytes.writeAddress(frame, at + 24, targetIp);
        return frame;
    }

    /** Reads the first {@code length} bytes of {@code frame}; bytes past the ARP body (padding) are ignored. */
    public static Decoded<ArpFrame> decode(byte[] frame, int length) {
        if (length < Ethernet.HEADER_LENGTH || length > frame.length) {
            return Decoded.failed(DecodeFailure.SHORT_FRAME);
        }
        if (Ethernet.etherType(frame) != Ethernet.TYPE_ARP) {
            return Decoded.failed(DecodeFailure.WRONG_ETHERTYPE);
        }
        if (length < LENGTH) {
            return Decoded.failed(DecodeFailure.TRUNCATED);
        }
        int at = Ethernet.HEADER_LENGTH;
        if (Bytes.readShort(frame, at) != HARDWARE_ETHERNET
                || Bytes.readShort(frame, at + 2) != PROTOCOL_IPV4
                || frame[at + 4] != MacAddress.LENGTH
                || frame[at + 5] != 4) {
            return Decoded.failed(DecodeFailure.MALFORMED);
        }
        return Decoded.frame(new ArpFrame(
                Ethernet.destination(frame),
                Ethernet.source(frame),
                Bytes.readShort(frame, at + 6),
                MacAddress.read(frame, at + 8),
                Bytes.readIpv4(frame, at + 14),
                MacAddress.read(frame, at + 18),
                Bytes.readIpv4(frame, at + 24)));
    }
}
