package dev.berth.proxy.balance;

/**
 * The "power of two choices" draw shared by the load-aware balancers: two distinct random endpoints from one
 * random number, each replaced by a random healthy one if it is down. Comparing two random endpoints keeps
 * load nearly as even as scanning all of them, at constant cost and without herding every loop onto the
 * single least-loaded endpoint.
 */
final class TwoChoices {

    private TwoChoices() {
    }

    /** Draws two distinct endpoints; the first in the high half of the result, the second in the low. */
    static long draw(LoopRandom random, int loop, int size) {
        long bits = random.nextLong(loop);
        int first = (int) (((bits >>> 32) * size) >>> 32);
        int second = (int) (((bits & 0xFFFF_FFFFL) * (size - 1)) >>> 32);
        if (second >= first) {
            second++;
        }
        return pack(first, second);
    }

    /**
     * Two distinct healthy candidates to compare, each drawn endpoint that is down replaced by a random healthy one.
     * When that leaves nothing to compare, the answer is already decided and comes back as a pair of equal halves
     * (both {@link Balancer#NONE} when no endpoint is healthy): callers return {@code first(pair)} then.
     */
    static long healthyPair(LoopRandom random, int loop, int size, EndpointHealth health) {
        if (size < 2) {
            int only = random.pickHealthy(loop, health); // nothing to compare: the one healthy endpoint, or none
            return pack(only, only);
        }
        long pair = draw(random, loop, size);
        int first = first(pair);
        int second = second(pair);
        if (health.isHealthy(first) && health.isHealthy(second)) {
            return pair;
        }
        first = healthyOr(first, random, loop, health);
        second = healthyOr(second, random, loop, health);
        return first == Balancer.NONE || first == second ? pack(first, first) : pack(first, second);
    }

    static boolean decided(long pair) {
        return first(pair) == second(pair);
    }

    private static long pack(int first, int second) {
        return ((long) first << 32) | (second & 0xFFFF_FFFFL);
    }

    static int first(long pair) {
        return (int) (pair >>> 32);
    }

    static int second(long pair) {
        return (int) pair;
    }

    /** The candidate if healthy, else a random healthy endpoint, else {@link Balancer#NONE}. */
    static int healthyOr(int candidate, LoopRandom random, int loop, EndpointHealth health) {
        return health.isHealthy(candidate) ? candidate : random.pickHealthy(loop, health);
    }
}
