package dev.berth.proxy.http;

import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * Header names a decoder hands out as constants instead of copying each out of the message: a name spelled byte for
 * byte as one of the table's is that constant, so what goes on is exactly what came in. Each constant has a lowercase
 * twin, as h2 carries names.
 */
final class KnownHeaderNames {
    /** Names by length, in their usual spellings. */
    private final AsciiString[][] byLength;
    /** Each name of {@link #byLength} in lowercase, at the same place. */
    private final AsciiString[][] lowercaseByLength;

    private KnownHeaderNames(AsciiString[][] byLength) {
        this.byLength = byLength;
        this.lowercaseByLength = new AsciiString[byLength.length][];
        for (int length = 0; length < byLength.length; length++) {
            lowercaseByLength[length] = Arrays.stream(byLength[length]).map(AsciiString::toLowerCase).toArray(AsciiString[]::new);
        }
    }

    static KnownHeaderNames of(String... names) {
        int longest = Arrays.stream(names).mapToInt(String::length).max().orElse(0);
        AsciiString[][] table = new AsciiString[longest + 1][0];
        for (String name : names) {
            AsciiString[] sameLength = Arrays.copyOf(table[name.length()], table[name.length()].length + 1);
            sameLength[sameLength.length - 1] = AsciiString.cached(name);
            table[name.length()] = sameLength;
        }
        return new KnownHeaderNames(table);
    }

    /** The constant spelled as {@code line[start, start + length)}, or null. */
    AsciiString find(byte[] line, int start, int length) {
        if (length >= byLength.length) {
            return null;
        }
        for (AsciiString name : byLength[length]) {
            if (Arrays.equals(name.array(), name.arrayOffset(), name.arrayOffset() + length, line, start, start + length)) {
                return name;
            }
        }
        return null;
    }

    /**
     * A header name in lowercase, as h2 carries it: for a constant of the table, its lowercase twin; for another name,
     * a lowercase {@code AsciiString} (itself if it is one already).
     */
    AsciiString lowercase(CharSequence name) {
        if (name instanceof AsciiString ascii && ascii.length() < byLength.length) {
            AsciiString[] sameLength = byLength[ascii.length()];
            for (int i = 0; i < sameLength.length; i++) {
                if (sameLength[i] == ascii) {
                    return lowercaseByLength[ascii.length()][i];
                }
            }
        }
        return AsciiString.of(name).toLowerCase();
    }
}
