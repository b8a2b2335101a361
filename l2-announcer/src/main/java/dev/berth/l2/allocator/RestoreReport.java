package dev.berth.l2.allocator;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Allocator#restore} made of the allocations found at start: those now held again, and
 * those refused (outside every pool, or clashing with one restored earlier in {@link ServiceKey} order).
 * A conflict is reported, never resolved by overwriting.
 */
public record RestoreReport(List<Allocation> restored, List<Conflict> conflicts) {

    public RestoreReport {
        restored = List.copyOf(Objects.requireNonNull(restored, "restored"));
        conflicts = List.copyOf(Objects.requireNonNull(conflicts, "conflicts"));
    }

    /** One existing allocation that was not restored, and why. */
    public record Conflict(ServiceKey service, List<InetAddress> ips, String problem) {
        public Conflict {
            Objects.requireNonNull(service, "service");
            ips = List.copyOf(Objects.requireNonNull(ips, "ips"));
            Objects.requireNonNull(problem, "problem");
        }
    }
}
