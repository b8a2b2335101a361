package dev.berth.l2.frame;

import java.util.HexFormat;

/**
 * A 48-bit Ethernet address held in the low bits of a {@code long}, so that it compares by value and costs
 * no array per frame.
 */
public record MacAddress(long value) {

    public static final int LENGTH = 6;
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    public static final MacAddress ZERO = new MacAddress(0);

    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("MAC value: " + Long.toHexString(value) + " (expected: 48 bits)");
        }
    }

    /** Reads six bytes at {@code offset}; the caller has checked that they are there. */
    public static MacAddress read(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 0; i < LENGTH; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xff);
        }
        return new MacAddress(v);
    }

    public static MacAddress of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("MAC length: " + bytes.length + " (expected: 6)");
        }
        return read(bytes, 0);
    }

    /** Parses {@code 02:00:5e:10:00:01}, the form {@code ip link} prints. */
    public static MacAddress parse(String text) {
        byte[] bytes;
        try {
            bytes = COLONS.parseHex(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MAC: '" + text + "' (expected: six hex bytes separated by ':')", e);
        }
        return of(bytes);
    }

    public void write(byte[] bytes, int offset) {
        for (int i = 0; i < LENGTH; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * (LENGTH - 1 - i)));
        }
    }

    public byte[] bytes() {
        byte[] bytes = new byte[LENGTH];
        write(bytes, 0);
        return bytes;
    }

    /** The group bit: lowest bit of the first byte. Broadcast is multicast too. */
    public boolean isMulticast() {
        return (value & 0x0100_0000_0000L) != 0;
    }

    @Override
    public String toString() {
        return COLONS.formatHex(bytes());
    }
}
