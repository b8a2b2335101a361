package dev.berth.proxy.http;

import io.netty.util.concurrent.EventExecutor;

/**
 * A deadline that costs no timer task per move: {@link #arm} puts it at the tail of its event loop's
 * {@link TimeoutQueue} for that length of time (deadlines of one length fall due in the order they were armed), and
 * {@link #disarm} takes it out, both in constant time and without allocating. One scheduled sweep per queue expires
 * what has fallen due. So a connection per request, or an h2 stream per request, adds nothing to the loop's timer
 * heap (before, each armed a task there and cancelled it on closing). Event-loop confined, like the handler that owns
 * it.
 */
final class Deadline {
    private final EventExecutor executor;
    private final Runnable onExpiry;
    /** The queue it waits in, when armed; its neighbours there and when it falls due. */
    TimeoutQueue queue;
    Deadline previous;
    Deadline next;
    long at;

    /** @param onExpiry run on {@code executor} once the deadline has passed while armed */
    Deadline(EventExecutor executor, Runnable onExpiry) {
        this.executor = executor;
        this.onExpiry = onExpiry;
    }

    /** Sets the deadline {@code delayNanos} from now, replacing any earlier setting. */
    void arm(long delayNanos) {
        disarm();
        TimeoutQueue.of(executor, delayNanos).add(this, System.nanoTime() + delayNanos);
    }

    /**
     * Nothing to time out any more. Out of its queue, the deadline is held by nothing else, so an owner that is going
     * away (a closed connection) stays referenced by no timer.
     */
    void disarm() {
        if (queue != null) {
            queue.remove(this);
        }
    }

    /** Called by the queue, which has taken it out already. */
    void expire() {
        onExpiry.run();
    }
}
