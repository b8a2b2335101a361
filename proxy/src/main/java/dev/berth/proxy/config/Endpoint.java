package dev.berth.proxy.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One address and port of a backend.
 *
 * @param address a resolved IP address and port (EndpointSlices hold literals; nothing here resolves names)
 * @param weight relative share for weighted algorithms, > 0
 * @param node the node the endpoint runs on, if known (for topology and externalTrafficPolicy: Local)
 */
public record Endpoint(InetSocketAddress address, int weight, String node) {

    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address: " + address + " (expected: an IP address, not a name)");
        }
        if (weight <= 0) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: > 0)");
        }
    }

    @Override
    public String toString() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
