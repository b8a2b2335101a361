package dev.berth.proxy.http;

import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.List;

/**
 * Header names a decoder hands out as constants instead of copying each out of the message: a name spelled byte for
 * byte as one of the table's is that constant, so what goes on is exactly what came in. Each constant has a lowercase
 * twin, as h2 carries names.
 */
final class KnownHeaderNames {
    /**
     * The table's constants by a hash of their length and their first and last bytes (open addressing); a power of two
     * long, at most a quarter full.
     */
    private final AsciiString[] slots;
    /** Each constant's lowercase twin, at the same slot. */
    private final AsciiString[] lowercaseSlots;

    private KnownHeaderNames(List<AsciiString> names) {
        slots = new AsciiString[Integer.highestOneBit(Math.max(1, names.size()) * 4) * 2];
        lowercaseSlots = new AsciiString[slots.length];
        for (AsciiString name : names) {
            int slot = slotOf(name.array(), name.arrayOffset(), name.length());
            while (slots[slot] != null) {
                slot = (slot + 1) & (slots.length - 1);
            }
            slots[slot] = name;
            lowercaseSlots[slot] = name.toLowerCase();
        }
    }

    static KnownHeaderNames of(String... names) {
        return new KnownHeaderNames(Arrays.stream(names).distinct().map(AsciiString::cached).toList());
    }

    private int slotOf(byte[] bytes, int start, int length) {
        int hash = (length * 31 + bytes[start]) * 31 + bytes[start + length - 1];
        return (hash ^ hash >>> 7) & (slots.length - 1);
    }

    /** The constant spelled as {@code line[start, start + length)}, or null. */
    AsciiString find(byte[] line, int start, int length) {
        if (length == 0) {
            return null;
        }
        for (int slot = slotOf(line, start, length); ; slot = (slot + 1) & (slots.length - 1)) {
            AsciiString name = slots[slot];
            if (name == null || name.length() == length
                    && Arrays.equals(name.array(), name.arrayOffset(), name.arrayOffset() + length, line, start, start + length)) {
                return name;
            }
        }
    }

    /**
     * A header name in lowercase, as h2 carries it: for a constant of the table, its lowercase twin; for another name,
     * a lowercase {@code AsciiString} (itself if it is one already).
     */
    AsciiString lowercase(CharSequence name) {
        if (name instanceof AsciiString ascii && !ascii.isEmpty()) {
            for (int slot = slotOf(ascii.array(), ascii.arrayOffset(), ascii.length()); slots[slot] != null;
                    slot = (slot + 1) & (slots.length - 1)) {
                if (slots[slot] == ascii) {
                    return lowercaseSlots[slot];
                }
            }
        }
        return AsciiString.of(name).toLowerCase();
    }
}
