package dev.berth.proxy.balance;

import java.time.Duration;

/** A clock tests move by hand, so time-based balancing is tested without sleeping. */
final class FakeTicker implements Ticker {

    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    void advance(Duration duration) {
        now += duration.toNanos();
    }

    void advanceNanos(long nanos) {
        now += nanos;
    }
}
