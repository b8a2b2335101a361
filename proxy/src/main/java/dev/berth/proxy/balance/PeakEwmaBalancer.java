package dev.berth.proxy.balance;

import java.util.Arrays;

/**
 * Peak-EWMA power of two choices ({@link BalancingAlgorithm#PEAK_EWMA}), after Finagle and Linkerd: of two
 * random endpoints, the one with the lower cost = latency estimate × (in flight + 1) ÷ weight. The estimate
 * jumps to any slower response at once (the "peak") and otherwise decays toward recent latencies with time
 * constant {@code decay}, so a slow endpoint loses traffic after one response and wins it back gradually.
 *
 * <p>All state is per event loop, plain arrays written only by that loop. {@code pick} reads no clock: it
 * decays estimates to the loop's time of its last completion, which {@code onFinish} reads from the ticker.
 * That time stands still only while the loop has nothing in flight, when no decay is needed.
 */
final class PeakEwmaBalancer implements Balancer {

    /** Finagle's and Linkerd's default: a latency keeps ~37% of its influence after 10 s. */
    static final long DEFAULT_DECAY = 10_000_000_000L;

    /**
     * Cost of an endpoint that has requests in flight but no measured latency yet (Finagle's value): it
     * must not look free, or every pick would go to it until its first response.
     */
    private static final double UNMEASURED_PENALTY = (double) (Long.MAX_VALUE >> 16);

    private static final int PAD = PerLoop.LONG_STRIDE;

    private final EndpointHealth health;
    private final int size;
    private final double[] inverseWeights;
    private final double inverseDecay;
    private final Ticker ticker;
    private final LoopRandom random;
    private final long[] clocks;
    private final LoopState[] perLoop;

    /** One loop's estimates; arrays padded at both ends so loops share no cache line. */
    private static final class LoopState {
        final double[] costs;
        final long[] stamps;
        final int[] inFlight;

        LoopState(int size) {
            costs = new double[size + 2 * PAD];
            stamps = new long[size + 2 * PAD];
            inFlight = new int[size + 2 * PerLoop.INT_STRIDE];
        }
    }

    PeakEwmaBalancer(EndpointSet endpoints, int loops, long decayNanos, Ticker ticker) {
        if (decayNanos <= 0) {
            throw new IllegalArgumentException("decayNanos: " + decayNanos + " (expected: > 0)");
        }
        this.health = endpoints.health();
        this.size = endpoints.size();
        this.inverseWeights = new double[size];
        int[] weights = endpoints.weights();
        for (int i = 0; i < size; i++) {
            inverseWeights[i] = 1.0 / weights[i];
        }
        this.inverseDecay = 1.0 / decayNanos;
        this.ticker = ticker;
        this.random = new LoopRandom(loops);
        this.clocks = PerLoop.longs(loops);
        long now = ticker.nanoTime();
        this.perLoop = new LoopState[loops];
        for (int loop = 0; loop < loops; loop++) {
            clocks[PerLoop.longSlot(loop)] = now;
            this.perLoop[loop] = new LoopState(size);
            Arrays.fill(this.perLoop[loop].stamps, now);
        }
    }

    @Override
    public int pick(int loop, long hashKey) {
        long pair = TwoChoices.healthyPair(random, loop, size, health);
        int first = TwoChoices.first(pair);
        if (TwoChoices.decided(pair)) {
            return first;
        }
        int second = TwoChoices.second(pair);
        LoopState state = perLoop[loop];
        long now = clocks[PerLoop.longSlot(loop)];
        return cost(state, first, now) <= cost(state, second, now) ? first : second;
    }

    private double cost(LoopState state, int endpoint, long now) {
        double estimate = state.costs[endpoint + PAD];
        int inFlight = state.inFlight[endpoint + PerLoop.INT_STRIDE];
        if (estimate == 0.0 && inFlight > 0) {
            return UNMEASURED_PENALTY + inFlight;
        }
        double decayed = estimate * decayFactor(now - state.stamps[endpoint + PAD]);
        return decayed * (inFlight + 1) * inverseWeights[endpoint];
    }

    /**
     * e^(−elapsed ÷ decay). Between requests the exponent is tiny (milliseconds over seconds), where a cubic
     * Taylor polynomial is exact to 4·10⁻⁸ and several times cheaper than {@link Math#exp}, which pick would
     * otherwise call twice.
     */
    private double decayFactor(long elapsedNanos) {
        double exponent = Math.max(elapsedNanos, 0L) * inverseDecay;
        if (exponent < 0.03) {
            return 1.0 - exponent * (1.0 - exponent * (0.5 - exponent / 6.0));
        }
        return Math.exp(-exponent);
    }

    @Override
    public void onStart(int loop, int endpoint) {
        perLoop[loop].inFlight[endpoint + PerLoop.INT_STRIDE]++;
    }

    @Override
    public void onFinish(int loop, int endpoint, long latencyNanos) {
        LoopState state = perLoop[loop];
        state.inFlight[endpoint + PerLoop.INT_STRIDE]--;
        int clockSlot = PerLoop.longSlot(loop);
        long now = Math.max(ticker.nanoTime(), clocks[clockSlot]);
        clocks[clockSlot] = now;

        double latency = Math.max(latencyNanos, 0L);
        double weight = decayFactor(now - state.stamps[endpoint + PAD]);
        double decayed = state.costs[endpoint + PAD] * weight;
        state.costs[endpoint + PAD] = latency > decayed ? latency : decayed + latency * (1.0 - weight);
        state.stamps[endpoint + PAD] = now;
    }

    /** This loop's latency estimate for an endpoint as of its last completion; for tests. */
    double estimate(int loop, int endpoint) {
        return perLoop[loop].costs[endpoint + PAD];
    }
}
