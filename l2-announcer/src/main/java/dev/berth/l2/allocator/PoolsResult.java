package dev.berth.l2.allocator;

import java.util.List;
import java.util.Objects;

/** What {@link Allocator#apply} made of a new set of pools. */
public sealed interface PoolsResult {

    /**
     * The pools are in force. {@code released} lists the allocations whose addresses no pool holds any
     * more; the appliance clears them and assigns those Services again.
     */
    record Applied(List<Released> released) implements PoolsResult {
        public Applied {
            released = List.copyOf(Objects.requireNonNull(released, "released"));
        }
    }

    /** The pools were refused as a whole; the previous pools stay in force. One line per problem. */
    record Rejected(List<String> problems) implements PoolsResult {
        public Rejected {
            problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
        }
    }

    /** An allocation given up because of a pool edit, and why. */
    record Released(Allocation allocation, String reason) {
        public Released {
            Objects.requireNonNull(allocation, "allocation");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
