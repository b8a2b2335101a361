package dev.berth.l2.membership;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Messages between the members of the group, on the membership's own channel: what lets the coordinator replicate
 * the allocation table ({@link dev.berth.l2.replication.TableReplication}). Views and messages reach listeners on
 * the membership's one event thread, in the order the channel delivered them: a message sent in a view arrives after
 * that view, so a member always knows who the sender's coordinator was.
 */
public interface Messaging {

    /**
     * Calls {@code listener} with the current view's members at once, then with every new view, oldest member first:
     * the first is the coordinator, which JGroups makes decide views, and which the group lets allocate.
     */
    void onView(Consumer<List<String>> listener);

    /** Calls {@code listener} with (sender's node name, payload) for every message another member sends here. */
    void onMessage(BiConsumer<String, byte[]> listener);

    /** Sends to every other member of the current view; reliable and in order per sender, like all channel traffic. */
    void sendToAll(byte[] payload);

    /** Sends to one member by node name; nothing if it is not in the current view (it will be told in its next view). */
    void sendTo(String node, byte[] payload);
}
