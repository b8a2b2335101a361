package dev.berth.proxy.balance;

/**
 * Least request by power of two choices ({@link BalancingAlgorithm#LEAST_REQUEST}): of two random
 * endpoints, the one with fewer requests in flight per unit of weight.
 *
 * <p>Each event loop counts only its own in-flight requests, in its own padded array, with plain writes:
 * loops carry similar traffic (connections are spread over them), so each loop's view is a fair sample of
 * the endpoint's load, and no counter is shared between cores.
 */
final class LeastRequestBalancer implements Balancer {

    /** Padding at both ends of each loop's array, so neighbouring loops' arrays share no cache line. */
    private static final int PAD = PerLoop.INT_STRIDE;

    private final EndpointHealth health;
    private final int size;
    private final int[] weights;
    private final int[][] inFlight;
    private final LoopRandom random;

    LeastRequestBalancer(EndpointSet endpoints, int loops) {
        PerLoop.checkLoops(loops);
        health = endpoints.health();
        size = endpoints.size();
        weights = endpoints.weights();
        inFlight = new int[loops][size + 2 * PAD];
        random = new LoopRandom(loops);
    }

    @Override
    public int pick(int loop, long hashKey) {
        long pair = TwoChoices.healthyPair(random, loop, size, health);
        int first = TwoChoices.first(pair);
        if (TwoChoices.decided(pair)) {
            return first;
        }
        int second = TwoChoices.second(pair);
        int[] counts = inFlight[loop];
        // (in flight + 1) ÷ weight, compared by cross-multiplying to stay in integers.
        long firstLoad = (long) (counts[first + PAD] + 1) * weights[second];
        long secondLoad = (long) (counts[second + PAD] + 1) * weights[first];
        return firstLoad <= secondLoad ? first : second;
    }

    @Override
    public void onStart(int loop, int endpoint) {
        inFlight[loop][endpoint + PAD]++;
    }

    @Override
    public void onFinish(int loop, int endpoint, long latencyNanos) {
        inFlight[loop][endpoint + PAD]--;
    }

    /** This loop's in-flight count for an endpoint; for tests. */
    int inFlight(int loop, int endpoint) {
        return inFlight[loop][endpoint + PAD];
    }
}
