package dev.berth.appliance.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.ProxyConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutesViewTest {

    @Test
    void routesSortedByHostThenPathAndBackendsWithTheirEndpoints() {
        Backend web = new Backend("shop/web:http", Backend.Protocol.HTTP, "round-robin",
                List.of(new Endpoint(new InetSocketAddress("192.0.2.10", 8080), 2, "node-a")));
        Backend api = new Backend("shop/api:grpc", Backend.Protocol.H2C, "least-request", List.of());
        ProxyConfig config = new ProxyConfig(7, List.of(
                new HttpRoute("shop.example", HttpRoute.PathType.PREFIX, "/", web.name(), "Ingress shop/web rules[0].paths[0]", 0, true),
                new HttpRoute("api.example", HttpRoute.PathType.EXACT, "/v1", api.name(), "Ingress shop/api rules[0].paths[0]", 1)),
                Optional.of(web.name()), Map.of(web.name(), web, api.name(), api));

        RoutesView view = RoutesView.of(config);

        assertThat(view.generation()).isEqualTo(7);
        assertThat(view.defaultBackend()).isEqualTo("shop/web:http");
        assertThat(view.routes()).containsExactly(
                new RoutesView.Route("api.example", "Exact", "/v1", "shop/api:grpc", "Ingress shop/api rules[0].paths[0]", false),
                new RoutesView.Route("shop.example", "Prefix", "/", "shop/web:http", "Ingress shop/web rules[0].paths[0]", true));
        assertThat(view.backends()).containsExactly(
                new RoutesView.BackendView("shop/api:grpc", "h2c", "least-request", List.of()),
                new RoutesView.BackendView("shop/web:http", "http", "round-robin", List.of(new RoutesView.EndpointView("192.0.2.10:8080", 2, "node-a"))));
    }
}
