package dev.berth.l2.replication;

import dev.berth.l2.membership.Messaging;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Members whose views the test decides, so that a partition is exact: a message reaches only the members of its
 * sender's view. Nothing is delivered until {@link #deliverAll}, which runs every view and message in order, as the
 * membership's event thread would, until none is left.
 */
final class FakeGroup {
    private final Map<String, Member> members = new HashMap<>();
    private final Queue<Runnable> pending = new ArrayDeque<>();

    Member member(String name) {
        return members.computeIfAbsent(name, Member::new);
    }

    /** Installs {@code view} (oldest first) at each of its members. */
    void view(String... view) {
        List<String> names = List.of(view);
        for (String name : names) {
            Member member = member(name);
            member.view = names;
            member.viewListeners.forEach(listener -> pending.add(() -> listener.accept(names)));
        }
    }

    void deliverAll() {
        for (int steps = 0; !pending.isEmpty(); steps++) {
            if (steps > 10_000) {
                throw new AssertionError("the members never fall quiet");
            }
            pending.remove().run();
        }
    }

    final class Member implements Messaging {
        private final String name;
        private final List<Consumer<List<String>>> viewListeners = new ArrayList<>();
        private final List<BiConsumer<String, byte[]>> messageListeners = new ArrayList<>();
        private List<String> view = List.of();

        private Member(String name) {
            this.name = name;
        }

        @Override
        public void onView(Consumer<List<String>> listener) {
            viewListeners.add(listener);
            if (!view.isEmpty()) {
                List<String> now = view;
                pending.add(() -> listener.accept(now));
            }
        }

        @Override
        public void onMessage(BiConsumer<String, byte[]> listener) {
            messageListeners.add(listener);
        }

        @Override
        public void sendToAll(byte[] payload) {
            view.stream().filter(other -> !other.equals(name)).forEach(other -> sendTo(other, payload));
        }

        @Override
        public void sendTo(String node, byte[] payload) {
            if (view.contains(node)) {
                Member receiver = member(node);
                pending.add(() -> receiver.messageListeners.forEach(listener -> listener.accept(name, payload.clone())));
            }
        }
    }
}
