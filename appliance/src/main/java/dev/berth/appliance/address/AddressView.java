package dev.berth.appliance.address;

import java.util.List;

/** What the address plane holds after a reconcile, for the admin API: every served Service and every pool. */
public record AddressView(List<ServiceAddress> services, List<PoolView> pools) {

    public static final AddressView EMPTY = new AddressView(List.of(), List.of());

    public AddressView {
        services = List.copyOf(services);
        pools = List.copyOf(pools);
    }
}
