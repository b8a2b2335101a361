package dev.berth.l2.announce;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the announcer's timed work (burst rounds, refresh). Injected so that tests move time by hand. */
@FunctionalInterface
public interface Scheduler {

    void schedule(Duration delay, Runnable task);

    static Scheduler of(ScheduledExecutorService executor) {
        return (delay, task) -> executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
