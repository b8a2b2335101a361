package dev.berth.appliance.address;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** What the address plane holds after a reconcile, for the admin API: every served Service and every pool. */
public record AddressView(List<ServiceAddress> services, List<PoolView> pools) {

    public static final AddressView EMPTY = new AddressView(List.of(), List.of());

    public AddressView {
        services = List.copyOf(services);
        pools = List.copyOf(pools);
    }

    /** The same, with each Service's IPs' owners as the announce plane elected them. */
    public AddressView withOwners(Map<InetAddress, String> owners) {
        return owners.isEmpty() ? this : new AddressView(services.stream().map(service -> service.withOwners(owners)).toList(), pools);
    }
}
