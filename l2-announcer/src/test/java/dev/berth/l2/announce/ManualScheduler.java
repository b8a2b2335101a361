package dev.berth.l2.announce;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/** A {@link Scheduler} whose time moves only when a test calls {@link #advance}. */
final class ManualScheduler implements Scheduler {

    private record Task(long due, long order, Runnable body) {}

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparingLong(Task::due).thenComparingLong(Task::order));
    private long now;
    private long scheduled;

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        tasks.add(new Task(now + delay.toNanos(), scheduled++, task));
    }

    /** Runs, in time order, every task due within {@code duration} from now, including ones they schedule. */
    void advance(Duration duration) {
        long end;
        synchronized (this) {
            end = now + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                if (tasks.isEmpty() || tasks.peek().due() > end) {
                    now = end;
                    return;
                }
                next = tasks.poll();
                now = next.due();
            }
            next.body().run();
        }
    }
}
