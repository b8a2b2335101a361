package dev.berth.proxy.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deadline that moves without a timer task per move (the IdleStateHandler idiom): {@link #arm} sets it, and one
 * scheduled check, made only when none is pending (or when the deadline moves before it), finds it moved and re-arms
 * itself for what is left. A keep-alive connection that arms a deadline per request thus schedules about one task
 * per timeout period. Event-loop confined, like the handler that owns it.
 */
final class Deadline {
    private final EventExecutor executor;
    private final Runnable onExpiry;
    private final Runnable check = this::check;
    private boolean armed;
    private long at;
    private ScheduledFuture<?> pending;
    /** When the pending check runs. */
    private long checkAt;

    /** @param onExpiry run on {@code executor} once the deadline has passed while armed */
    Deadline(EventExecutor executor, Runnable onExpiry) {
        this.executor = executor;
        this.onExpiry = onExpiry;
    }

    void arm(long delayNanos) {
        armed = true;
        at = System.nanoTime() + delayNanos;
        if (pending != null && at - checkAt < 0) {
            pending.cancel(false); // the check would come too late for the earlier deadline
            pending = null;
        }
        if (pending == null) {
            schedule(delayNanos);
        }
    }

    private void schedule(long delayNanos) {
        checkAt = at;
        pending = executor.schedule(check, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Nothing to time out any more; a pending check finds that and stops. */
    void disarm() {
        armed = false;
    }

    /** Disarms and drops the pending check, so that a closed connection is not kept referenced by the timer queue. */
    void stop() {
        armed = false;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void check() {
        pending = null;
        if (!armed) {
            return;
        }
        long left = at - System.nanoTime();
        if (left > 0) {
            schedule(left);
        } else {
            armed = false;
            onExpiry.run();
        }
    }
}
