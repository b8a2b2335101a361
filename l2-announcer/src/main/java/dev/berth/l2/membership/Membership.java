package dev.berth.l2.membership;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Who is alive: the node names of the current group view. Every member of one view sees the same set, which is
 * what lets {@link dev.berth.l2.election.Election} agree on owners without any further message. Implementations
 * decide how liveness is detected; tests can fake this interface.
 */
public interface Membership extends AutoCloseable {

    /** This node's name, always in {@link #members()} while connected. */
    String self();

    /** The node names of the current view (unmodifiable). */
    Set<String> members();

    /**
     * Calls {@code listener} with the current view at once, then with every new view, in order, on one thread
     * owned by the membership (never on the caller's). A listener should be quick: views queue behind it.
     */
    void onChange(Consumer<Set<String>> listener);

    /** Leaves the group (the others see a new view at once) and stops calling listeners. */
    @Override
    void close();
}
