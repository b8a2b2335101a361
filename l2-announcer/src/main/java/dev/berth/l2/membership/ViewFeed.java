package dev.berth.l2.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Hands views and messages from JGroups to listeners on one thread of its own. JGroups calls {@code viewAccepted}
 * and {@code receive} on protocol threads that must not block (a slow listener would stall failure detection), and
 * one single-threaded executor keeps views and messages in the order the channel delivered them, for every listener.
 */
final class ViewFeed implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ViewFeed.class.getName());

    private final ExecutorService events;
    private final List<Consumer<List<String>>> listeners = new ArrayList<>();
    private List<String> current = List.of();
    private boolean closed;

    ViewFeed(String node) {
        // Daemon: a membership nobody closed must not keep the JVM alive.
        this.events = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("berth-membership-" + node).daemon().factory());
    }

    synchronized Set<String> current() {
        return Set.copyOf(current);
    }

    /** The members of the current view, oldest (the coordinator) first. */
    synchronized List<String> ordered() {
        return current;
    }

    synchronized void publish(List<String> view) {
        current = List.copyOf(view);
        listeners.forEach(listener -> deliver(listener, current));
    }

    synchronized void subscribe(Consumer<List<String>> listener) {
        listeners.add(listener);
        deliver(listener, current);
    }

    /** Runs {@code event} on the event thread, after every view published so far has been delivered. */
    synchronized void submit(Runnable event) {
        if (!closed) {
            events.execute(() -> {
                try {
                    event.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "membership listener failed", e);
                }
            });
        }
    }

    /** Delivers nothing more; a listener already running finishes. */
    @Override
    public synchronized void close() {
        closed = true;
        events.shutdown();
    }

    // Called with the monitor held, so submission order is publication order.
    private void deliver(Consumer<List<String>> listener, List<String> view) {
        submit(() -> listener.accept(view));
    }
}
