package dev.berth.proxy.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The armed {@link Deadline}s of one length on one event loop, oldest first. Armed with the same length, they fall due
 * in the order they were armed, so a list ordered by arrival is ordered by deadline: adding at the tail and taking out
 * anywhere cost a few pointer writes, where the loop's timer heap costs a task object and a logarithmic sift each way.
 * One sweep is scheduled at a time, for the head's deadline; a head taken out before then leaves the sweep to find
 * nothing due and schedule itself for the new head.
 *
 * <p>A loop keeps a queue per length it has seen (the keep-alive and response timeouts: a handful), found by a linear
 * look among them.
 */
final class TimeoutQueue {
    private static final Logger log = LoggerFactory.getLogger(TimeoutQueue.class);
    private static final int MOST_LENGTHS = 8;
    private static final FastThreadLocal<TimeoutQueue[]> QUEUES = new FastThreadLocal<>() {
        @Override
        protected TimeoutQueue[] initialValue() {
            return new TimeoutQueue[0];
        }
    };

    private final EventExecutor executor;
    private final long lengthNanos;
    private final Runnable sweep = this::sweep;
    private Deadline head;
    private Deadline tail;
    private boolean sweepScheduled;

    private TimeoutQueue(EventExecutor executor, long lengthNanos) {
        this.executor = executor;
        this.lengthNanos = lengthNanos;
    }

    /** This loop's queue for deadlines {@code lengthNanos} long; called on the loop. */
    static TimeoutQueue of(EventExecutor executor, long lengthNanos) {
        assert executor.inEventLoop();
        TimeoutQueue[] queues = QUEUES.get();
        for (TimeoutQueue queue : queues) {
            if (queue.lengthNanos == lengthNanos && queue.executor == executor) {
                return queue;
            }
        }
        TimeoutQueue created = new TimeoutQueue(executor, lengthNanos);
        QUEUES.set(withQueue(queues, created));
        return created;
    }

    /** The loop's queues with one more; past {@link #MOST_LENGTHS}, an idle one gives its place up. */
    private static TimeoutQueue[] withQueue(TimeoutQueue[] queues, TimeoutQueue added) {
        if (queues.length >= MOST_LENGTHS) {
            for (int i = 0; i < queues.length; i++) {
                if (queues[i].head == null && !queues[i].sweepScheduled) {
                    TimeoutQueue[] replaced = queues.clone();
                    replaced[i] = added;
                    return replaced;
                }
            }
        }
        TimeoutQueue[] grown = Arrays.copyOf(queues, queues.length + 1);
        grown[queues.length] = added;
        return grown;
    }

    void add(Deadline deadline, long at) {
        deadline.queue = this;
        deadline.at = at;
        deadline.previous = tail;
        deadline.next = null;
        if (tail == null) {
            head = deadline;
        } else {
            tail.next = deadline;
        }
        tail = deadline;
        if (!sweepScheduled) {
            scheduleSweep(at - System.nanoTime());
        }
    }

    void remove(Deadline deadline) {
        if (deadline.previous == null) {
            head = deadline.next;
        } else {
            deadline.previous.next = deadline.next;
        }
        if (deadline.next == null) {
            tail = deadline.previous;
        } else {
            deadline.next.previous = deadline.previous;
        }
        deadline.queue = null;
        deadline.previous = null;
        deadline.next = null;
    }

    private void scheduleSweep(long delayNanos) {
        sweepScheduled = true;
        executor.schedule(sweep, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /**
     * Expires what has fallen due, oldest first; an expiry may arm deadlines again, here or in other queues. One that
     * throws is logged and the sweep goes on: the others in the queue are other connections'.
     */
    private void sweep() {
        sweepScheduled = false;
        long now = System.nanoTime();
        while (head != null && head.at - now <= 0) {
            Deadline due = head;
            remove(due);
            try {
                due.expire();
            } catch (RuntimeException failure) {
                log.warn("a timeout's handling failed", failure);
            }
        }
        if (head != null && !sweepScheduled) {
            scheduleSweep(head.at - now);
        }
    }
}
