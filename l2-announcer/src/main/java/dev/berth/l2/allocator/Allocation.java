package dev.berth.l2.allocator;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The addresses one Service holds and the pool they come from: what the appliance writes to
 * {@code status.loadBalancer.ingress} (and the state file) and what {@link Allocator#restore} reads back.
 * At most one address per family, primary family first.
 */
public record Allocation(ServiceKey service, String pool, List<InetAddress> ips) {

    public Allocation {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(pool, "pool");
        ips = List.copyOf(Objects.requireNonNull(ips, "ips"));
        if (ips.isEmpty() || ips.size() > 2) {
            throw new IllegalArgumentException(service + ": " + ips.size() + " addresses (expected: 1 or 2)");
        }
    }

    @Override
    public String toString() {
        return service + " " + Ip.describe(ips) + " from " + pool;
    }
}
