package dev.berth.l2.announce;

/**
 * Why a responder sent nothing for a received frame, as MetalLB's {@code dropReason}: every frame that is not
 * answered ends in exactly one of these, and the tests reach each one with a crafted frame.
 */
public enum DropReason {
    /** Fewer bytes than an Ethernet header. */
    SHORT_FRAME,
    /** Given to the ARP responder, but the EtherType is not ARP. */
    NOT_ARP,
    /** Given to the NDP responder, but the EtherType is not IPv6. */
    NOT_IPV6,
    /** A header or length field promises more bytes than arrived. */
    TRUNCATED,
    /** Readable but against the protocol: hardware/protocol sizes, IP version, option lengths, multicast target. */
    MALFORMED,
    /** Our own transmission looped back to us. */
    FROM_SELF,
    /** ARP reply: we answer questions, we do not learn from answers. */
    ARP_REPLY,
    /** An ARP operation other than request or reply (RARP, InARP...). */
    UNSUPPORTED_OPERATION,
    /** A gratuitous ARP announcement by someone else: a statement, not a question. */
    GRATUITOUS,
    /** Ethernet destination neither broadcast, nor our MAC, nor the multicast group of the IP destination. */
    WRONG_ETHERNET_DESTINATION,
    /** The question is about an address this node does not own on this interface right now. */
    NOT_OWNED,
    /** IPv6, but not ICMPv6. */
    NOT_ICMPV6,
    /** ICMPv6, but not neighbour discovery. */
    NOT_NEIGHBOR_DISCOVERY,
    /** A neighbour advertisement: the NDP counterpart of an ARP reply, ignored likewise. */
    NEIGHBOR_ADVERTISEMENT,
    /** The ICMPv6 checksum over the pseudo-header is wrong. */
    BAD_CHECKSUM,
    /** Hop limit not 255: the packet crossed a router, so it is not from this link (RFC 4861 section 7.1.1). */
    BAD_HOP_LIMIT,
    /** A solicitation sent neither to the target's solicited-node group nor to the target itself. */
    WRONG_IP_DESTINATION
}
