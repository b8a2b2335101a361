package dev.berth.appliance.address;

import dev.berth.l2.membership.Membership;
import java.util.Set;
import java.util.function.Consumer;

/** Membership of a node that runs alone (no {@code --cluster-bind}): itself, always. */
public record SingleNode(String self) implements Membership {

    @Override
    public Set<String> members() {
        return Set.of(self);
    }

    @Override
    public void onChange(Consumer<Set<String>> listener) {
        listener.accept(members());
    }

    @Override
    public void close() {
    }
}
