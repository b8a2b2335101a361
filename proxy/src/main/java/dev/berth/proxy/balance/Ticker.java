package dev.berth.proxy.balance;

/**
 * A monotonic nanosecond clock, injected into the balancers that need time (peak-EWMA, slow start) so tests
 * can drive them with a fake clock instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanoTime();

    /** The JVM's monotonic clock. */
    static Ticker system() {
        return System::nanoTime;
    }
}
