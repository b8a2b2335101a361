package dev.berth.appliance.address;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * Where allocations outlive the process. Standalone: a state file. In a cluster: the Services' own status.
 * The allocator restores from {@link #load} before it assigns anything, so a restart never moves an IP.
 */
public interface AllocationStore extends AutoCloseable {

    /**
     * The allocations recorded before this process started, per Service.
     *
     * @throws IllegalStateException when the record exists but cannot be trusted (corrupt file); starting anyway
     *     would re-allocate blindly
     */
    Map<ServiceKey, List<InetAddress>> load(Snapshot snapshot);

    /** Records the allocations now in force (all of them; the store decides what actually changed). */
    void save(List<Allocation> allocations);

    /** The pool each recorded allocation came from, where the record keeps it apart from the Service (empty by default). */
    default Map<ServiceKey, String> recordedPools() {
        return Map.of();
    }

    /**
     * What happened to recorded allocations that this plane should show as a Service's problem: e.g. an IP given up
     * when the tables of a healed partition were merged. Empty by default.
     */
    default Map<ServiceKey, String> notices() {
        return Map.of();
    }

    /** Lets go of what the store holds (a lock file); nothing by default. */
    @Override
    default void close() {
    }
}
