package dev.berth.appliance.source;

import java.time.Duration;
import java.util.Objects;

/**
 * Turns a burst of change signals into one run of an action: the action runs once the signals have been quiet
 * for {@code quiet}, or at the latest {@code maxDelay} after the first signal of the burst, so that a steady
 * stream of edits still takes effect. Runs happen on the scheduler, one at a time; a signal during a run
 * causes one more run after it.
 */
public final class Coalescer {
    private final Duration quiet;
    private final Duration maxDelay;
    private final Runnable action;
    private final Scheduler scheduler;

    private boolean scheduled;
    private long firstSignal;
    private long lastSignal;

    public Coalescer(Duration quiet, Duration maxDelay, Runnable action, Scheduler scheduler) {
        if (quiet.isNegative() || maxDelay.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("quiet " + quiet + ", maxDelay " + maxDelay + " (expected: 0 <= quiet <= maxDelay)");
        }
        this.quiet = quiet;
        this.maxDelay = maxDelay;
        this.action = Objects.requireNonNull(action, "action");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Something changed; cheap, callable from any thread (informer handlers, the file watcher). */
    public synchronized void signal() {
        long now = scheduler.nanoTime();
        lastSignal = now;
        if (!scheduled) {
            scheduled = true;
            firstSignal = now;
            scheduler.schedule(quiet, this::fire);
        }
    }

    private void fire() {
        synchronized (this) {
            long now = scheduler.nanoTime();
            long untilQuiet = lastSignal + quiet.toNanos() - now;
            long untilDeadline = firstSignal + maxDelay.toNanos() - now;
            if (untilQuiet > 0 && untilDeadline > 0) {
                scheduler.schedule(Duration.ofNanos(Math.min(untilQuiet, untilDeadline)), this::fire);
                return;
            }
            scheduled = false;
        }
        action.run();
    }
}
