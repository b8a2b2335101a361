package dev.berth.proxy.balance;

/**
 * Smooth weighted round robin ({@link BalancingAlgorithm#WEIGHTED_ROUND_ROBIN}), nginx's algorithm: weights
 * 5, 1, 1 give a a b a c a a, so a heavy endpoint's turns are spread out rather than bunched.
 *
 * <p>nginx scans every endpoint on every pick; with fixed weights the sequence repeats after the sum of the
 * weights, so it is computed once here and each event loop walks it with its own cursor. Picks cost the same
 * at 3 or 1000 endpoints. If the weights sum to more than {@value #MAX_SCHEDULE} (after dividing by their
 * common divisor) they are scaled down to fit, which rounds each share by less than one turn in
 * {@value #MAX_SCHEDULE}.
 */
final class SmoothWeightedRoundRobinBalancer implements Balancer {

    /** The longest schedule kept: 256 KiB of ints, built in well under a second even at 1000 endpoints. */
    static final int MAX_SCHEDULE = 1 << 16;

    private final EndpointHealth health;
    private final int[] schedule;
    private final int[] cursors;
    private final LoopRandom random;

    SmoothWeightedRoundRobinBalancer(EndpointSet endpoints, int loops) {
        health = endpoints.health();
        schedule = schedule(endpoints.weights());
        cursors = PerLoop.ints(loops);
        for (int loop = 0; loop < loops; loop++) {
            cursors[PerLoop.intSlot(loop)] = (int) ((long) loop * schedule.length / loops);
        }
        random = new LoopRandom(loops);
    }

    @Override
    public int pick(int loop, long hashKey) {
        if (schedule.length == 0) {
            return NONE;
        }
        int slot = PerLoop.intSlot(loop);
        int position = cursors[slot];
        cursors[slot] = position + 1 == schedule.length ? 0 : position + 1;
        int candidate = schedule[position];
        return health.isHealthy(candidate) ? candidate : random.pickHealthy(loop, health);
    }

    /** One full period of nginx's sequence for these weights. */
    static int[] schedule(int[] weights) {
        int[] reduced = reduce(weights);
        long total = 0;
        for (int weight : reduced) {
            total += weight;
        }
        int[] schedule = new int[(int) total];
        long[] current = new long[reduced.length];
        for (int turn = 0; turn < schedule.length; turn++) {
            int best = 0;
            for (int i = 0; i < reduced.length; i++) {
                current[i] += reduced[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            schedule[turn] = best;
        }
        return schedule;
    }

    /** The smallest weights in the same proportions, scaled down if their sum exceeds the schedule limit. */
    private static int[] reduce(int[] weights) {
        int divisor = 0;
        long total = 0;
        for (int weight : weights) {
            divisor = gcd(divisor, weight);
            total += weight;
        }
        int[] reduced = new int[weights.length];
        if (weights.length == 0) {
            return reduced;
        }
        total /= divisor;
        long limit = Math.max(MAX_SCHEDULE, weights.length);
        double scale = total > limit ? (double) limit / total : 1.0;
        for (int i = 0; i < weights.length; i++) {
            reduced[i] = (int) Math.max(1, (long) (weights[i] / divisor * scale));
        }
        return reduced;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int remainder = a % b;
            a = b;
            b = remainder;
        }
        return a;
    }
}
