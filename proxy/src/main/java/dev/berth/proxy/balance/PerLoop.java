package dev.berth.proxy.balance;

/**
 * Array layout for state kept per event loop: each loop's slot sits 128 bytes from its neighbours (two
 * cache lines, because the CPU prefetches lines in pairs), so loops writing their own cursors or counters
 * never invalidate each other's caches.
 */
final class PerLoop {

    /** Ints per 128 bytes. */
    static final int INT_STRIDE = 32;
    /** Longs or doubles per 128 bytes. */
    static final int LONG_STRIDE = 16;

    private PerLoop() {
    }

    static int checkLoops(int loops) {
        if (loops <= 0) {
            throw new IllegalArgumentException("loops: " + loops + " (expected: > 0)");
        }
        return loops;
    }

    /** An int array with one padded slot per loop, see {@link #intSlot}. */
    static int[] ints(int loops) {
        return new int[(checkLoops(loops) + 1) * INT_STRIDE];
    }

    /** A long array with one padded slot per loop, see {@link #longSlot}. */
    static long[] longs(int loops) {
        return new long[(checkLoops(loops) + 1) * LONG_STRIDE];
    }

    /** Slot 0 is padding so the first loop's value does not share a line with the array header. */
    static int intSlot(int loop) {
        return (loop + 1) * INT_STRIDE - 1;
    }

    static int longSlot(int loop) {
        return (loop + 1) * LONG_STRIDE - 1;
    }
}
