package dev.berth.proxy.balance;

/**
 * SplitMix64 random numbers with one seed per event loop: as cheap as {@code ThreadLocalRandom} with no
 * thread-local lookup, and seeded deterministically so distribution tests are repeatable.
 */
final class LoopRandom {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long[] seeds;

    LoopRandom(int loops) {
        seeds = PerLoop.longs(loops);
        for (int loop = 0; loop < loops; loop++) {
            seeds[PerLoop.longSlot(loop)] = mix(GOLDEN_GAMMA * (loop + 1));
        }
    }

    long nextLong(int loop) {
        int slot = PerLoop.longSlot(loop);
        long seed = seeds[slot] + GOLDEN_GAMMA;
        seeds[slot] = seed;
        return mix(seed);
    }

    /** Uniform in [0, bound) by multiply-shift, which avoids a division; the bias is below 2^-32. */
    int nextInt(int loop, int bound) {
        return (int) (((nextLong(loop) >>> 32) * bound) >>> 32);
    }

    /** Uniform in [0, 1). */
    double nextDouble(int loop) {
        return (nextLong(loop) >>> 11) * 0x1.0p-53;
    }

    /**
     * A uniformly random healthy endpoint, or {@link Balancer#NONE}. Where another balancer's choice is
     * unhealthy it asks this, so the down endpoint's turns spread over all survivors instead of all going
     * to its neighbour in the list.
     */
    int pickHealthy(int loop, EndpointHealth health) {
        if (health.healthyCount() == 0) {
            return Balancer.NONE;
        }
        int size = health.size();
        for (int attempt = 0; attempt < 4; attempt++) {
            int candidate = nextInt(loop, size);
            if (health.isHealthy(candidate)) {
                return candidate;
            }
        }
        // Most are down: scan from a random start rather than retry forever.
        int start = nextInt(loop, size);
        for (int i = 0; i < size; i++) {
            int candidate = start + i < size ? start + i : start + i - size;
            if (health.isHealthy(candidate)) {
                return candidate;
            }
        }
        return Balancer.NONE;
    }

    /** The SplitMix64 finalizer: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
