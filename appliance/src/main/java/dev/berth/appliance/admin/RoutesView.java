package dev.berth.appliance.admin;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.ProxyConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code /api/routes}: the HTTP routing in force, as the data plane took it — what a request for a host and path is
 * sent to, and the endpoints behind each backend.
 *
 * @param generation the configuration generation the routing was built from
 * @param defaultBackend the backend for requests no route matches, or null (those get 404)
 */
public record RoutesView(long generation, List<Route> routes, String defaultBackend, List<BackendView> backends) {

    /** One path of one Ingress rule; {@code host} is empty for any host. */
    public record Route(String host, String pathType, String path, String backend, String source, boolean httpsRedirect) {}

    /** A Service port's endpoints, {@code IP:port} each, with their weights. */
    public record BackendView(String name, String protocol, String balance, List<EndpointView> endpoints) {}

    public record EndpointView(String address, int weight, String node) {}

    public static RoutesView of(ProxyConfig config) {
        List<Route> routes = config.routes().stream()
                .sorted(Comparator.comparing(HttpRoute::host).thenComparing(HttpRoute::path).thenComparingLong(HttpRoute::rank))
                .map(route -> new Route(route.host(), route.pathType().name().charAt(0) + route.pathType().name().substring(1).toLowerCase(Locale.ROOT),
                        route.path(), route.backend(), route.source(), route.httpsRedirect()))
                .toList();
        List<BackendView> backends = config.backends().values().stream()
                .sorted(Comparator.comparing(Backend::name))
                .map(backend -> new BackendView(backend.name(), backend.protocol().name().toLowerCase(Locale.ROOT), backend.balance(),
                        backend.endpoints().stream().map(e -> new EndpointView(e.toString(), e.weight(), e.node())).toList()))
                .toList();
        return new RoutesView(config.generation(), routes, config.defaultBackend().orElse(null), backends);
    }
}
