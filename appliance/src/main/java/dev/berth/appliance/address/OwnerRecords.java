package dev.berth.appliance.address;

import dev.berth.l2.allocator.ServiceKey;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the owner of each announced IP is recorded besides {@code /api/services}. In Kubernetes mode
 * ({@link ServiceOwners}): the event {@code nodeAssigned} on the Service from the node that starts answering (as
 * MetalLB's speaker records it), and the annotation {@code berth.dev/announcing-nodes} ({@code IP=node,…} for all
 * the Service's IPs), written only by the owner of the Service's first IP. Every node derives the same owners from
 * the same view, so one writer per Service is enough and two writers would write the same value. Standalone: nothing
 * beyond the log and the admin API.
 */
public interface OwnerRecords {

    OwnerRecords NONE = new OwnerRecords() {
        @Override
        public void nodeAssigned(ServiceKey service, List<InetAddress> ips) {
        }

        @Override
        public void owners(ServiceKey service, Map<String, String> owners) {
        }
    };

    /** This node has begun answering ARP/NDP for these IPs of the Service. */
    void nodeAssigned(ServiceKey service, List<InetAddress> ips);

    /** The owners of the Service's IPs ({@code IP → node}, the IPs that have one), as they changed. */
    void owners(ServiceKey service, Map<String, String> owners);

    /** The owners of {@code ips} (text, as {@link ServiceAddress#ips}), in their order; IPs nobody answers are left out. */
    static Map<String, String> ownersOf(List<String> ips, Map<InetAddress, String> owners) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String ip : ips) {
            String owner = owners.get(InetAddress.ofLiteral(ip));
            if (owner != null) {
                result.put(ip, owner);
            }
        }
        return result;
    }
}
