package dev.berth.l2.allocator;

import java.util.Objects;
import java.util.Optional;

/** What {@link Allocator#assign} made of one request: an allocation, or a problem to show on the Service. */
public sealed interface AssignResult {

    ServiceKey service();

    /** How an allocation relates to what the Service held before the call. */
    enum Change {
        /** The Service held nothing. */
        NEW,
        /** The Service keeps the addresses it held (now listed primary family first, if they were not). */
        UNCHANGED,
        /** The Service's own request changed and its addresses changed with it (moved, or a family added). */
        CHANGED
    }

    /** The Service holds {@code allocation}. */
    record Allocated(Allocation allocation, Change change) implements AssignResult {
        public Allocated {
            Objects.requireNonNull(allocation, "allocation");
            Objects.requireNonNull(change, "change");
        }

        @Override
        public ServiceKey service() {
            return allocation.service();
        }
    }

    /**
     * The request cannot be met. {@code kept} is what the Service still holds: a failed change never
     * takes an address away, unless the Service's new sharing terms make that very address illegal.
     */
    record Rejected(ServiceKey service, String problem, Optional<Allocation> kept) implements AssignResult {
        public Rejected {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(kept, "kept");
        }
    }
}
