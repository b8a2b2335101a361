package dev.berth.l2.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Hands views from JGroups to {@link Membership#onChange} listeners on one thread of its own. JGroups calls
 * {@code viewAccepted} on a protocol thread that must not block (a slow listener would stall failure detection),
 * and one single-threaded executor keeps the views in order for every listener.
 */
final class ViewFeed implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ViewFeed.class.getName());

    private final ExecutorService events;
    private final List<Consumer<Set<String>>> listeners = new ArrayList<>();
    private Set<String> current = Set.of();
    private boolean closed;

    ViewFeed(String node) {
        // Daemon: a membership nobody closed must not keep the JVM alive.
        this.events = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("berth-membership-" + node).daemon().factory());
    }

    synchronized Set<String> current() {
        return current;
    }

    synchronized void publish(Set<String> view) {
        current = Set.copyOf(view);
        listeners.forEach(listener -> deliver(listener, current));
    }

    synchronized void subscribe(Consumer<Set<String>> listener) {
        listeners.add(listener);
        deliver(listener, current);
    }

    /** Delivers nothing more; a listener already running finishes. */
    @Override
    public synchronized void close() {
        closed = true;
        events.shutdown();
    }

    // Called with the monitor held, so submission order is publication order.
    private void deliver(Consumer<Set<String>> listener, Set<String> view) {
        if (closed) {
            return;
        }
        events.execute(() -> {
            try {
                listener.accept(view);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "membership listener failed on view " + view, e);
            }
        });
    }
}
