package dev.berth.l2.allocator;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * An allocation found at start (Service status, state file, a replicated table) together with the
 * Service's current request, whose sharing terms decide whether it may stand beside its neighbours.
 */
public record ExistingAllocation(ServiceRequest request, List<InetAddress> ips) {

    public ExistingAllocation {
        Objects.requireNonNull(request, "request");
        ips = List.copyOf(Objects.requireNonNull(ips, "ips"));
    }
}
