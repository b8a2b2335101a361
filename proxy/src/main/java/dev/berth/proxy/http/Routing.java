package dev.berth.proxy.http;

import dev.berth.proxy.balance.Balancer;
import dev.berth.proxy.balance.BalancingAlgorithm;
import dev.berth.proxy.balance.Balancers;
import dev.berth.proxy.balance.BalancingPolicy;
import dev.berth.proxy.balance.EndpointSet;
import dev.berth.proxy.balance.Ticker;
import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.route.RouteTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration's routing, immutable once built: the route table and a balancer per backend. Swapped as a
 * whole by {@link DataPlane#apply}; a request holds on to the Routing it started with.
 */
final class Routing {
    private static final Logger log = LoggerFactory.getLogger(Routing.class);

    static final Routing EMPTY = new Routing(RouteTable.EMPTY, Map.of());

    /** A backend's endpoints and the balancer that picks among them (by index into {@code endpoints}). */
    record Balanced(List<Endpoint> endpoints, Balancer balancer, boolean hashesClients) {
    }

    private final RouteTable table;
    private final Map<String, Balanced> backends;

    private Routing(RouteTable table, Map<String, Balanced> backends) {
        this.table = table;
        this.backends = backends;
    }

    static Routing of(ProxyConfig config, int loops) {
        Map<String, Balanced> backends = new HashMap<>();
        for (Backend backend : config.backends().values()) {
            BalancingAlgorithm algorithm = algorithmOf(backend);
            BalancingPolicy policy = Balancers.of(algorithm, Ticker.system());
            List<dev.berth.proxy.balance.Endpoint> endpoints = backend.endpoints().stream()
                    .map(endpoint -> new dev.berth.proxy.balance.Endpoint(endpoint.address().getAddress(),
                            endpoint.address().getPort(), endpoint.weight()))
                    .toList();
            Balancer balancer = policy.newBalancer(EndpointSet.of(endpoints), loops);
            backends.put(backend.name(), new Balanced(backend.endpoints(), balancer, algorithm == BalancingAlgorithm.MAGLEV));
        }
        return new Routing(RouteTable.of(config), backends);
    }

    private static BalancingAlgorithm algorithmOf(Backend backend) {
        try {
            return BalancingAlgorithm.parse(backend.balance());
        } catch (IllegalArgumentException e) {
            log.warn("backend {}: {}; balancing round-robin", backend.name(), e.getMessage());
            return BalancingAlgorithm.ROUND_ROBIN;
        }
    }

    RouteTable table() {
        return table;
    }

    Balanced balanced(Backend backend) {
        return backends.get(backend.name());
    }
}
