package dev.berth.appliance.source;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Delayed execution and a monotonic clock, injected so that coalescing is tested with a fake clock. */
public interface Scheduler extends AutoCloseable {

    void schedule(Duration delay, Runnable task);

    long nanoTime();

    @Override
    void close();

    /** One daemon thread: tasks run one at a time, in order. */
    static Scheduler singleThread(String name) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        return new Scheduler() {
            @Override
            public void schedule(Duration delay, Runnable task) {
                executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }
}
