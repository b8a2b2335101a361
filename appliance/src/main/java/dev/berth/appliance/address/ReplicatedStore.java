package dev.berth.appliance.address;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import dev.berth.l2.replication.TableReplication;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several standalone nodes: the record is the group's replicated table ({@link TableReplication}), each member's copy
 * kept in its own state file. The address plane allocates only on the coordinator ({@link TableReplication#mayAllocate},
 * its {@code mayAllocate}); there {@link #save} publishes to every member, and on the others {@link #load} is what they
 * show and announce.
 */
public final class ReplicatedStore implements AllocationStore {

    private final TableReplication replication;
    private final StateFileStore file;

    public ReplicatedStore(TableReplication replication, StateFileStore file) {
        this.replication = replication;
        this.file = file;
    }

    @Override
    public Map<ServiceKey, List<InetAddress>> load(Snapshot snapshot) {
        Map<ServiceKey, List<InetAddress>> loaded = new LinkedHashMap<>();
        replication.table().allocations().forEach(allocation -> loaded.put(allocation.service(), allocation.ips()));
        return loaded;
    }

    @Override
    public Map<ServiceKey, String> recordedPools() {
        Map<ServiceKey, String> pools = new LinkedHashMap<>();
        replication.table().allocations().forEach(allocation -> pools.put(allocation.service(), allocation.pool()));
        return pools;
    }

    /** The conflicts of the last merge that had any (this node merged them as coordinator); they stay until the next. */
    @Override
    public Map<ServiceKey, String> notices() {
        Map<ServiceKey, String> notices = new LinkedHashMap<>();
        replication.conflicts().forEach(conflict -> notices.merge(conflict.service(), conflict.message(), (one, other) -> one + "; " + other));
        return notices;
    }

    @Override
    public void save(List<Allocation> allocations) {
        replication.publish(allocations);
    }

    @Override
    public void close() {
        replication.close();
        file.close();
    }
}
