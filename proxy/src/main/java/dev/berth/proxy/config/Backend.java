package dev.berth.proxy.config;

import java.util.List;
import java.util.Objects;

/**
 * A Service port as the proxy sees it: where to send requests and how.
 *
 * @param name unique within a config: {@code namespace/service:port}
 * @param protocol how to speak to the endpoints
 * @param balance the balancing algorithm's name ({@code round-robin}, {@code maglev}, …)
 * @param endpoints the endpoints that may take new requests (ready, or serving while terminating when none is ready)
 */
public record Backend(String name, Protocol protocol, String balance, List<Endpoint> endpoints) {

    /** The upstream protocol, from the Service annotation {@code berth.dev/backend-protocol} or the port's appProtocol. */
    public enum Protocol { HTTP, H2C, HTTPS }

    public Backend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(balance, "balance");
        endpoints = List.copyOf(endpoints);
    }
}
