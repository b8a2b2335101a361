package dev.berth.appliance.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A Scheduler whose clock only moves when a test says so; tasks run on the test's thread. */
final class ManualScheduler implements Scheduler {
    private record Task(long due, long order, Runnable runnable) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private long order;

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        tasks.add(new Task(now + delay.toNanos(), order++, task));
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    /** Moves the clock forward, running every task that falls due, in order. */
    void advance(Duration duration) {
        long until = now + duration.toNanos();
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due() <= until)
                        .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::order)).orElse(null);
                if (next == null) {
                    now = until;
                    return;
                }
                tasks.remove(next);
                now = Math.max(now, next.due());
            }
            next.runnable().run();
        }
    }

    @Override
    public void close() {
    }
}
