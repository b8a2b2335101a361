package dev.berth.proxy.balance;

import java.time.Duration;
import java.util.Objects;

/**
 * Static factories for every {@link BalancingPolicy}, the entry point for code that configures a Backend:
 * {@code Balancers.roundRobin()}, {@code Balancers.slowStart(Balancers.leastRequest(), SlowStart.over(w), t)}.
 */
public final class Balancers {

    private Balancers() {
    }

    /** Endpoints in turn, ignoring weights: a b c a b c. */
    public static BalancingPolicy roundRobin() {
        return BalancingAlgorithm.ROUND_ROBIN;
    }

    /** nginx's smooth weighted round robin: weights 5, 1, 1 give a a b a c a a. */
    public static BalancingPolicy weightedRoundRobin() {
        return BalancingAlgorithm.WEIGHTED_ROUND_ROBIN;
    }

    /** A uniformly random healthy endpoint, ignoring weights. */
    public static BalancingPolicy random() {
        return BalancingAlgorithm.RANDOM;
    }

    /** Power of two choices by in-flight requests ÷ weight. */
    public static BalancingPolicy leastRequest() {
        return BalancingAlgorithm.LEAST_REQUEST;
    }

    /** Peak-EWMA power of two choices with a 10 s decay on the system clock. */
    public static BalancingPolicy peakEwma() {
        return BalancingAlgorithm.PEAK_EWMA;
    }

    /**
     * Peak-EWMA power of two choices (Finagle, Linkerd): latency estimates jump up to a slow response at
     * once and decay back with time constant {@code decay}.
     *
     * @param decay how long a past latency keeps influencing picks; shorter forgives a slow endpoint sooner
     * @param ticker the clock the decay is measured on
     */
    public static BalancingPolicy peakEwma(Duration decay, Ticker ticker) {
        long decayNanos = positiveNanos("decay", decay);
        Objects.requireNonNull(ticker, "ticker");
        return (endpoints, loops) -> new PeakEwmaBalancer(endpoints, loops, decayNanos, ticker);
    }

    /** Maglev consistent hashing of the caller's 64-bit hash key. */
    public static BalancingPolicy maglev() {
        return BalancingAlgorithm.MAGLEV;
    }

    /**
     * Wraps a policy so an endpoint marked {@link EndpointHealth#markHealthySince healthy since} some time
     * takes a share of traffic that grows along {@code ramp} instead of its full share at once. Meant for
     * round robin, random and least-request; under Maglev a key always lands on the same endpoint, so there
     * is nothing to ramp.
     */
    public static BalancingPolicy slowStart(BalancingPolicy delegate, SlowStart ramp, Ticker ticker) {
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(ramp, "ramp");
        Objects.requireNonNull(ticker, "ticker");
        return (endpoints, loops) -> new SlowStartBalancer(
                delegate.newBalancer(endpoints, loops), endpoints.health(), ramp, ticker, loops);
    }

    /** The policy for an annotation value with the default settings and the given clock. */
    public static BalancingPolicy of(BalancingAlgorithm algorithm, Ticker ticker) {
        Objects.requireNonNull(algorithm, "algorithm");
        return algorithm == BalancingAlgorithm.PEAK_EWMA
                ? peakEwma(Duration.ofNanos(PeakEwmaBalancer.DEFAULT_DECAY), ticker)
                : algorithm;
    }

    static long positiveNanos(String name, Duration duration) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + ": " + duration + " (expected: > 0)");
        }
        return duration.toNanos();
    }
}
