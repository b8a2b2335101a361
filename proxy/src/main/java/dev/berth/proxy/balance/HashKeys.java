package dev.berth.proxy.balance;

import java.net.InetAddress;

/**
 * Turns what requests with affinity share (a client IP, a header or cookie value) into the 64-bit key
 * {@link Balancer#pick} takes, without allocating. The relay computes a key once per connection or request;
 * Maglev needs its high bits well mixed, which these are.
 */
public final class HashKeys {

    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;

    private HashKeys() {
    }

    /**
     * A key for a client address. Uses {@link InetAddress#hashCode()} because {@code getAddress()} copies the
     * bytes; for IPv4 that hash is the whole address, for IPv6 it folds the 128 bits into 32, enough to
     * spread clients.
     */
    public static long ofAddress(InetAddress address) {
        return LoopRandom.mix(address.hashCode() * 0x9E3779B97F4A7C15L + 1);
    }

    /** A key for a header or cookie value (FNV-1a over the UTF-16 chars, then mixed). */
    public static long ofValue(CharSequence value) {
        long hash = FNV_OFFSET;
        for (int i = 0; i < value.length(); i++) {
            hash = (hash ^ value.charAt(i)) * FNV_PRIME;
        }
        return LoopRandom.mix(hash);
    }
}
