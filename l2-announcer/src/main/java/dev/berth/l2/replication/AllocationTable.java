package dev.berth.l2.replication;

import static java.util.Objects.requireNonNull;

import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every allocation of the group, at one {@link TableVersion}: what the coordinator sends whole to every member
 * after each settled allocation (a few KB for thousands of Services, so no diffs), and what each member keeps in
 * its state directory. Allocations are kept in {@link ServiceKey} order, one per Service, so that equal tables are
 * equal records.
 */
public record AllocationTable(TableVersion version, List<Allocation> allocations) {

    public static final AllocationTable EMPTY = new AllocationTable(TableVersion.NONE, List.of());

    public AllocationTable {
        requireNonNull(version, "version");
        List<Allocation> sorted = new ArrayList<>(requireNonNull(allocations, "allocations"));
        sorted.sort(Comparator.comparing(Allocation::service));
        Set<ServiceKey> seen = new HashSet<>();
        for (Allocation allocation : sorted) {
            if (!seen.add(allocation.service())) {
                throw new IllegalArgumentException("allocations: " + allocation.service() + " twice (expected: one allocation per Service)");
            }
        }
        allocations = List.copyOf(sorted);
    }

    /** The next table {@code node} publishes: these allocations, one count higher for it. */
    public AllocationTable next(String node, List<Allocation> now) {
        return new AllocationTable(version.next(node), now);
    }

    /** Whether the allocations are the same, whatever the versions say. */
    public boolean sameAllocations(AllocationTable other) {
        return allocations.equals(other.allocations);
    }
}
