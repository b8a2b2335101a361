package dev.berth.l2.frame;

/** The 14-byte Ethernet II header every frame of this package starts with. */
public final class Ethernet {

    public static final int HEADER_LENGTH = 14;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV6 = 0x86dd;

    private Ethernet() {}

    public static void writeHeader(byte[] frame, MacAddress destination, MacAddress source, int etherType) {
        destination.write(frame, 0);
        source.write(frame, 6);
        Bytes.writeShort(frame, 12, etherType);
    }

    /** The EtherType of a frame of at least {@link #HEADER_LENGTH} bytes. */
    public static int etherType(byte[] frame) {
        return Bytes.readShort(frame, 12);
    }

    public static MacAddress destination(byte[] frame) {
        return MacAddress.read(frame, 0);
    }

    public static MacAddress source(byte[] frame) {
        return MacAddress.read(frame, 6);
    }
}
