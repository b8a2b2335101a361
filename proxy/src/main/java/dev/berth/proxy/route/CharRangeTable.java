package dev.berth.proxy.route;

import java.util.Map;

/**
 * An immutable open-addressing hash table keyed by strings and looked up by a range of characters of any
 * {@link CharSequence}, so that a request's host or path can be found without cutting it out into a String.
 * Host keys compare ASCII case-insensitively (DNS names are ASCII; IDNs arrive as punycode); path keys exactly.
 *
 * <p>The hash is the plain polynomial {@code h = 31 * h + c} over the (folded) characters, exposed through
 * {@link #step}, so that a caller walking a range once can look up every prefix of it with the hash it has
 * accumulated so far instead of hashing each prefix again.
 *
 * @param <V> what a key leads to
 */
final class CharRangeTable<V> {
    private final boolean ignoreCase;
    private final String[] keys;
    private final Object[] values;
    private final int mask;

    private CharRangeTable(Map<String, V> entries, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        // at most half full, so probe sequences stay short
        int capacity = Integer.highestOneBit(Math.max(2, entries.size()) * 4 - 1);
        this.keys = new String[capacity];
        this.values = new Object[capacity];
        this.mask = capacity - 1;
        entries.forEach((key, value) -> {
            int slot = slot(hash(key, 0, key.length()));
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = value;
        });
    }

    /** A table whose keys match ASCII case-insensitively; the keys must be lower case. */
    static <V> CharRangeTable<V> ignoringCase(Map<String, V> entries) {
        return new CharRangeTable<>(entries, true);
    }

    static <V> CharRangeTable<V> exact(Map<String, V> entries) {
        return new CharRangeTable<>(entries, false);
    }

    /** The hash of a range extended by one more character; start from 0 for the empty range. */
    int step(int hash, char c) {
        return 31 * hash + fold(c);
    }

    /** The value of the key equal to {@code text[start, end)}, or null. */
    V get(CharSequence text, int start, int end) {
        return get(text, start, end, hash(text, start, end));
    }

    /** The value of the key equal to {@code text[start, end)}, whose hash by {@link #step} is already known; or null. */
    @SuppressWarnings("unchecked") // values are only ever put in as V
    V get(CharSequence text, int start, int end, int hash) {
        int slot = slot(hash);
        String key;
        while ((key = keys[slot]) != null) {
            if (equals(key, text, start, end)) {
                return (V) values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private int slot(int hash) {
        return (hash ^ (hash >>> 16)) & mask;
    }

    private int hash(CharSequence text, int start, int end) {
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = step(hash, text.charAt(i));
        }
        return hash;
    }

    private boolean equals(String key, CharSequence text, int start, int end) {
        if (key.length() != end - start) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) != fold(text.charAt(start + i))) {
                return false;
            }
        }
        return true;
    }

    private char fold(char c) {
        return ignoreCase && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
