package dev.berth.proxy.balance;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The live health of the endpoints of one {@link EndpointSet}: written by health checks, read by every
 * {@link Balancer} on each pick. Balancers skip unhealthy endpoints instead of rebuilding their tables, so a
 * flapping endpoint costs one array write, not a Maglev rebuild.
 *
 * <p>One {@code long} per endpoint holds both facts a balancer needs: whether it is healthy and, for slow
 * start, since when (ticker nanoseconds). Reads are opaque: a pick may see a change a moment late, which is
 * harmless, and pays no fence for it.
 */
public final class EndpointHealth {

    /** The endpoint takes no traffic. */
    static final long UNHEALTHY = Long.MIN_VALUE;
    /** The endpoint is healthy and past any slow-start ramp; any larger value is a ramp start time. */
    static final long SETTLED = Long.MIN_VALUE + 1;

    private final AtomicLongArray states;
    private final AtomicInteger healthyCount;

    private EndpointHealth(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
        }
        states = new AtomicLongArray(size);
        for (int endpoint = 0; endpoint < size; endpoint++) {
            states.setPlain(endpoint, SETTLED);
        }
        healthyCount = new AtomicInteger(size);
    }

    /** A view in which all {@code size} endpoints are healthy and settled (no slow start). */
    public static EndpointHealth allHealthy(int size) {
        return new EndpointHealth(size);
    }

    /** The number of endpoints this view covers. */
    public int size() {
        return states.length();
    }

    /** Whether the endpoint at this index may take traffic. */
    public boolean isHealthy(int endpoint) {
        return states.getOpaque(endpoint) != UNHEALTHY;
    }

    /** How many endpoints are healthy now; 0 lets a balancer answer "none" without scanning. */
    public int healthyCount() {
        return healthyCount.getOpaque();
    }

    /** Marks the endpoint healthy with its full weight at once. */
    public void markHealthy(int endpoint) {
        set(endpoint, SETTLED);
    }

    /**
     * Marks the endpoint healthy as of {@code tickerNanos}; a slow-start balancer ramps its share up from
     * then, so a new or recovered endpoint is not flooded while its caches are cold.
     *
     * @param tickerNanos a reading of the same {@link Ticker} the slow-start balancer uses
     */
    public void markHealthySince(int endpoint, long tickerNanos) {
        if (tickerNanos <= SETTLED) {
            throw new IllegalArgumentException("tickerNanos: " + tickerNanos + " (expected: > " + SETTLED + ")");
        }
        set(endpoint, tickerNanos);
    }

    /** Marks the endpoint unhealthy: balancers stop picking it on their next pick. */
    public void markUnhealthy(int endpoint) {
        set(endpoint, UNHEALTHY);
    }

    /** {@link #UNHEALTHY}, {@link #SETTLED}, or the ticker time the endpoint's ramp started. */
    long rampStart(int endpoint) {
        return states.getOpaque(endpoint);
    }

    /** Ends a finished ramp, unless a health check changed the endpoint meanwhile. */
    void settle(int endpoint, long rampStart) {
        states.compareAndSet(endpoint, rampStart, SETTLED);
    }

    private void set(int endpoint, long state) {
        Objects.checkIndex(endpoint, states.length());
        long previous = states.getAndSet(endpoint, state);
        if (previous == UNHEALTHY && state != UNHEALTHY) {
            healthyCount.incrementAndGet();
        } else if (previous != UNHEALTHY && state == UNHEALTHY) {
            healthyCount.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "EndpointHealth[" + healthyCount() + "/" + size() + " healthy]";
    }
}
