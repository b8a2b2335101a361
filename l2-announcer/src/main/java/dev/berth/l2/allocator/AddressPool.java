package dev.berth.l2.allocator;

import dev.berth.l2.pool.AddressRange;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code IPAddressPool} as the allocator sees it, translated by the appliance: named ranges of IPv4
 * and IPv6 addresses plus the three knobs that steer allocation. Structural mistakes throw here; rules
 * that span pools (unique names, no overlap) are reported as values by {@link Allocator#apply}.
 *
 * @param autoAssign    whether Services that name neither a pool nor an address may get one from here
 * @param avoidBuggyIPs whether IPv4 addresses ending in .0 and .255 are left out (old CPE firmware drops them)
 */
public record AddressPool(String name, List<AddressRange> addresses, boolean autoAssign, boolean avoidBuggyIPs,
                          Optional<ServiceAllocation> serviceAllocation) {

    public AddressPool {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
        Objects.requireNonNull(serviceAllocation, "serviceAllocation");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: a pool name)");
        }
    }

    /** A pool with MetalLB's defaults: autoAssign on, avoidBuggyIPs off, no serviceAllocation. */
    public static AddressPool of(String name, String... addresses) {
        List<AddressRange> ranges = Arrays.stream(addresses).map(AddressRange::parse).toList();
        return new AddressPool(name, ranges, true, false, Optional.empty());
    }

    public AddressPool withAutoAssign(boolean value) {
        return new AddressPool(name, addresses, value, avoidBuggyIPs, serviceAllocation);
    }

    public AddressPool withAvoidBuggyIPs(boolean value) {
        return new AddressPool(name, addresses, autoAssign, value, serviceAllocation);
    }

    public AddressPool withServiceAllocation(ServiceAllocation value) {
        return new AddressPool(name, addresses, autoAssign, avoidBuggyIPs, Optional.of(value));
    }
}
