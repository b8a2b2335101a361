package dev.berth.proxy.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the HTTP data plane serves for one configuration generation.
 *
 * @param generation the appliance's configuration generation this was built from (for logs and the admin API)
 * @param routes every HTTP route, in no particular order: the route table orders them by Ingress precedence
 * @param defaultBackend the backend for requests no route matches, by name, if any Ingress sets one
 * @param backends every backend a route or the default names, by {@link Backend#name()}
 * @param certificates what the HTTPS listener presents, in precedence order: where two claim one server name, the
 *     earlier wins (the translator puts the oldest Ingress first)
 * @param defaultCertificate what it presents to a client whose server name no certificate covers, or who sends none;
 *     empty for the certificate the listener makes itself
 */
public record ProxyConfig(long generation, List<HttpRoute> routes, Optional<String> defaultBackend, Map<String, Backend> backends,
        List<TlsCertificate> certificates, Optional<TlsCertificate> defaultCertificate) {

    public static final ProxyConfig EMPTY = new ProxyConfig(0, List.of(), Optional.empty(), Map.of());

    /** Without certificates: HTTPS connections get the default certificate whatever name they ask for. */
    public ProxyConfig(long generation, List<HttpRoute> routes, Optional<String> defaultBackend, Map<String, Backend> backends) {
        this(generation, routes, defaultBackend, backends, List.of(), Optional.empty());
    }

    /** With the listener's own default certificate. */
    public ProxyConfig(long generation, List<HttpRoute> routes, Optional<String> defaultBackend, Map<String, Backend> backends,
            List<TlsCertificate> certificates) {
        this(generation, routes, defaultBackend, backends, certificates, Optional.empty());
    }

    public ProxyConfig {
        routes = List.copyOf(routes);
        certificates = List.copyOf(certificates);
        Objects.requireNonNull(defaultCertificate, "defaultCertificate");
        Objects.requireNonNull(defaultBackend, "defaultBackend");
        backends = Map.copyOf(backends);
        for (HttpRoute route : routes) {
            if (!backends.containsKey(route.backend())) {
                throw new IllegalArgumentException("route " + route + " names backend '" + route.backend()
                        + "' (expected: one of " + backends.keySet() + ")");
            }
        }
        if (defaultBackend.isPresent() && !backends.containsKey(defaultBackend.get())) {
            throw new IllegalArgumentException("defaultBackend '" + defaultBackend.get() + "' (expected: one of "
                    + backends.keySet() + ")");
        }
    }
}
