package dev.berth.proxy.balance;

import java.time.Duration;

/**
 * The slow-start curve: the fraction of its normal share an endpoint takes {@code elapsed} after it became
 * healthy, rising linearly from {@code minimumFactor} to 1 over {@code window} (Envoy's linear ramp with its
 * minimum weight). With a 10 s window and minimum 0.1: 0.1 at 0 s, 0.55 at 5 s, 1 from 10 s on.
 *
 * @param window how long the ramp lasts, {@code > 0}
 * @param minimumFactor the share taken at once, in (0, 1]; above 0 so a new endpoint is probed at all
 */
public record SlowStart(Duration window, double minimumFactor) {

    /** The minimum share of a brand-new endpoint when none is given: Envoy's default of 10%. */
    public static final double DEFAULT_MINIMUM_FACTOR = 0.1;

    public SlowStart {
        Balancers.positiveNanos("window", window);
        if (!(minimumFactor > 0.0 && minimumFactor <= 1.0)) {
            throw new IllegalArgumentException("minimumFactor: " + minimumFactor + " (expected: > 0 and <= 1)");
        }
    }

    /** A ramp over {@code window} starting at {@link #DEFAULT_MINIMUM_FACTOR}. */
    public static SlowStart over(Duration window) {
        return new SlowStart(window, DEFAULT_MINIMUM_FACTOR);
    }

    /** The share factor after {@code elapsedNanos}, in [{@code minimumFactor}, 1]. */
    public double factor(long elapsedNanos) {
        long windowNanos = window.toNanos();
        if (elapsedNanos >= windowNanos) {
            return 1.0;
        }
        double progress = Math.max(elapsedNanos, 0L) / (double) windowNanos;
        return minimumFactor + (1.0 - minimumFactor) * progress;
    }
}
