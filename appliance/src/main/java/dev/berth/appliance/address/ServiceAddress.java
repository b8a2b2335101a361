package dev.berth.appliance.address;

import java.util.List;

/**
 * One LoadBalancer Service as {@code /api/services} shows it. Field names are stable API.
 *
 * @param ips its addresses, primary family first; empty while it has none
 * @param pool the pool they came from, or null
 * @param sharingKey its {@code allow-shared-ip} key, or null
 * @param problems why it has no (or not the requested) address, one line each
 */
public record ServiceAddress(String namespace, String name, List<String> ips, String pool, String sharingKey, List<String> problems) {

    public ServiceAddress {
        ips = List.copyOf(ips);
        problems = List.copyOf(problems);
    }
}
