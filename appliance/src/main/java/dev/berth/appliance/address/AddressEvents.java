package dev.berth.appliance.address;

import dev.berth.l2.allocator.ServiceKey;
import java.net.InetAddress;
import java.util.List;

/** What the address plane tells a Service's owner; in a cluster these become Events on the Service. */
public interface AddressEvents {

    AddressEvents NONE = new AddressEvents() {
    };

    default void allocated(ServiceKey service, List<InetAddress> ips, String pool) {
    }

    default void failed(ServiceKey service, String problem) {
    }

    default void released(ServiceKey service, List<InetAddress> ips, String reason) {
    }
}
