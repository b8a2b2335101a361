package dev.berth.l2.frame;

/** Why a frame could not be read as what the decoder expected. The responders turn each into a drop reason. */
public enum DecodeFailure {
    /** Fewer bytes than an Ethernet header. */
    SHORT_FRAME,
    /** The EtherType is not the one this decoder reads. */
    WRONG_ETHERTYPE,
    /** A header or length field promises more bytes than the frame holds. */
    TRUNCATED,
    /** The bytes are there but break the protocol (wrong sizes, version, option length, multicast target...). */
    MALFORMED,
    /** IPv6, but the next header is not ICMPv6 (extension headers are not followed: NDP does not use them). */
    NOT_ICMPV6,
    /** ICMPv6, but neither a neighbour solicitation nor a neighbour advertisement. */
    NOT_NEIGHBOR_DISCOVERY,
    /** The ICMPv6 checksum over the pseudo-header does not add up. */
    BAD_CHECKSUM
}
