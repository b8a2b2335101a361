package dev.berth.appliance.address;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One LoadBalancer Service as {@code /api/services} shows it. Field names are stable API.
 *
 * @param ips its addresses, primary family first; empty while it has none
 * @param pool the pool they came from, or null
 * @param sharingKey its {@code allow-shared-ip} key, or null
 * @param problems why it has no (or not the requested) address, one line each
 * @param owners which node answers ARP/NDP for each IP ({@code IP → node}; an IP nobody announces is absent)
 */
public record ServiceAddress(String namespace, String name, List<String> ips, String pool, String sharingKey, List<String> problems,
        Map<String, String> owners) {

    public ServiceAddress {
        ips = List.copyOf(ips);
        problems = List.copyOf(problems);
        owners = Collections.unmodifiableMap(new LinkedHashMap<>(owners));
    }

    /** As the address plane knows it, before the announce plane has said who answers. */
    public ServiceAddress(String namespace, String name, List<String> ips, String pool, String sharingKey, List<String> problems) {
        this(namespace, name, ips, pool, sharingKey, problems, Map.of());
    }

    ServiceAddress withOwners(Map<InetAddress, String> byIp) {
        return new ServiceAddress(namespace, name, ips, pool, sharingKey, problems, OwnerRecords.ownersOf(ips, byIp));
    }
}
