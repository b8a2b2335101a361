package dev.berth.proxy.http;

import dev.berth.proxy.balance.Balancer;
import dev.berth.proxy.balance.ConfiguredBalancer;
import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.route.RouteTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration's routing, immutable once built: the route table and a balancer per backend. Swapped as a
 * whole by {@link DataPlane#apply}; a request holds on to the Routing it started with.
 */
final class Routing {
    static final Routing EMPTY = new Routing(ProxyConfig.EMPTY, RouteTable.EMPTY, Map.of());

    /**
     * A backend's endpoints and the balancer that picks among them (by index into {@code endpoints}).
     *
     * @param plainKeys each endpoint's pool key for plain connections, made once per configuration, not per request
     */
    record Balanced(List<Endpoint> endpoints, Balancer balancer, boolean hashesClients, List<UpstreamKey> plainKeys) {

        Balanced(List<Endpoint> endpoints, Balancer balancer, boolean hashesClients) {
            this(endpoints, balancer, hashesClients, endpoints.stream().map(e -> UpstreamKey.plain(e.address())).toList());
        }
    }

    private final ProxyConfig config;
    private final RouteTable table;
    private final Map<String, Balanced> backends;

    private Routing(ProxyConfig config, RouteTable table, Map<String, Balanced> backends) {
        this.config = config;
        this.table = table;
        this.backends = backends;
    }

    static Routing of(ProxyConfig config, int loops) {
        Map<String, Balanced> backends = new HashMap<>();
        for (Backend backend : config.backends().values()) {
            ConfiguredBalancer balancer = ConfiguredBalancer.of("backend " + backend.name(), backend.balance(), backend.endpoints(), loops);
            backends.put(backend.name(), new Balanced(backend.endpoints(), balancer.balancer(), balancer.hashesClients()));
        }
        return new Routing(config, RouteTable.of(config), backends);
    }

    /** The configuration this routing was built from. */
    ProxyConfig config() {
        return config;
    }

    RouteTable table() {
        return table;
    }

    Balanced balanced(Backend backend) {
        return backends.get(backend.name());
    }
}
