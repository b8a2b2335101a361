package dev.berth.proxy.balance;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The values of the per-Service annotation {@code berth.dev/balance}, each usable directly as a stateless
 * {@link BalancingPolicy} with default settings. {@link Balancers} offers the same algorithms with settings.
 */
public enum BalancingAlgorithm implements BalancingPolicy {

    /** Endpoints in turn, ignoring weights: a b c a b c. */
    ROUND_ROBIN("round-robin", RoundRobinBalancer::new),
    /** nginx's smooth weighted round robin: weights 5, 1, 1 give a a b a c a a. */
    WEIGHTED_ROUND_ROBIN("weighted-round-robin", SmoothWeightedRoundRobinBalancer::new),
    /** A uniformly random healthy endpoint, ignoring weights. */
    RANDOM("random", RandomBalancer::new),
    /** The less loaded (in flight ÷ weight) of two random endpoints. */
    LEAST_REQUEST("least-request", LeastRequestBalancer::new),
    /** The cheaper of two random endpoints by peak-EWMA latency × (in flight + 1), decay 10 s, system clock. */
    PEAK_EWMA("peak-ewma",
            (endpoints, loops) -> new PeakEwmaBalancer(endpoints, loops, PeakEwmaBalancer.DEFAULT_DECAY, Ticker.system())),
    /** Maglev consistent hashing of the caller's hash key: the same client keeps its endpoint. */
    MAGLEV("maglev", (endpoints, loops) -> new MaglevBalancer(endpoints));

    private final String label;
    private final BalancingPolicy factory;

    BalancingAlgorithm(String label, BalancingPolicy factory) {
        this.label = label;
        this.factory = factory;
    }

    @Override
    public Balancer newBalancer(EndpointSet endpoints, int loops) {
        return factory.newBalancer(endpoints, loops);
    }

    /** The annotation value, e.g. {@code round-robin}. */
    public String label() {
        return label;
    }

    /**
     * The algorithm named by an annotation value, e.g. {@code "least-request"}.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static BalancingAlgorithm parse(String label) {
        Objects.requireNonNull(label, "label");
        for (BalancingAlgorithm algorithm : values()) {
            if (algorithm.label.equals(label)) {
                return algorithm;
            }
        }
        String hint = label.equals(label.toLowerCase(Locale.ROOT)) ? "" : " (values are lower case)";
        throw new IllegalArgumentException("balance: '" + label + "'" + hint + " (expected: "
                + Arrays.stream(values()).map(BalancingAlgorithm::label).collect(Collectors.joining("|")) + ")");
    }

    @Override
    public String toString() {
        return label;
    }
}
