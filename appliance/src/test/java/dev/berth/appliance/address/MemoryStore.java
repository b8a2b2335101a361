package dev.berth.appliance.address;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A store in memory, to restart an AddressPlane from what a previous one saved. */
final class MemoryStore implements AllocationStore {
    final Map<ServiceKey, List<InetAddress>> saved = new LinkedHashMap<>();
    int saves;

    @Override
    public Map<ServiceKey, List<InetAddress>> load(Snapshot snapshot) {
        return Map.copyOf(saved);
    }

    @Override
    public void save(List<Allocation> allocations) {
        saves++;
        saved.clear();
        allocations.forEach(allocation -> saved.put(allocation.service(), allocation.ips()));
    }
}
