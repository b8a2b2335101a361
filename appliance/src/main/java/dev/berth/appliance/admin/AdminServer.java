package dev.berth.appliance.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.appliance.address.AddressView;
import dev.berth.appliance.state.ConfigState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves the admin API on the JDK's HTTP server: small, read-only, off the data plane's event loops.
 * Routes: {@code /healthz}, {@code /readyz}, {@code /api/overview}, {@code /api/problems}, {@code /api/services},
 * {@code /api/pools}, {@code /api/routes}, {@code /api/certificates}.
 */
public final class AdminServer implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final HttpServer server;
    private final ExecutorService executor;
    private final NodeInfo node;
    private final ConfigState state;
    private final Supplier<AddressView> addresses;
    private final Supplier<Optional<TcpOverview>> tcp;
    private final Supplier<List<CertificateView>> certificates;
    private final Supplier<Optional<RoutesView>> routes;

    private AdminServer(HttpServer server, NodeInfo node, ConfigState state, Supplier<AddressView> addresses,
            Supplier<Optional<TcpOverview>> tcp, Supplier<List<CertificateView>> certificates, Supplier<Optional<RoutesView>> routes) {
        this.server = server;
        this.node = node;
        this.state = state;
        this.addresses = addresses;
        this.tcp = tcp;
        this.certificates = certificates;
        this.routes = routes;
        this.executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("berth-admin").daemon().factory());
        server.setExecutor(executor);
        server.createContext("/", this::route);
    }

    /**
     * Binds and starts serving.
     *
     * @param tcp the L4 plane's figures, asked per request (empty until, or unless, the plane runs)
     * @param certificates what the HTTPS listener presents, asked per request (empty until, or unless, it runs)
     * @param routes the HTTP routing in force, asked per request (empty until, or unless, the data plane runs)
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public static AdminServer start(InetSocketAddress address, NodeInfo node, ConfigState state, Supplier<AddressView> addresses,
            Supplier<Optional<TcpOverview>> tcp, Supplier<List<CertificateView>> certificates, Supplier<Optional<RoutesView>> routes)
            throws IOException {
        AdminServer admin = new AdminServer(HttpServer.create(address, 64), node, state, addresses, tcp, certificates, routes);
        admin.server.start();
        return admin;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, "text/plain", "method not allowed (expected: GET)\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/healthz" -> send(exchange, 200, "text/plain", "ok\n");
                case "/readyz" -> readiness(exchange);
                case "/api/overview" -> json(exchange, Overview.of(node, state.current(), tcp.get().orElse(null)));
                case "/api/problems" -> json(exchange, state.current().problems());
                case "/api/services" -> json(exchange, addresses.get().services());
                case "/api/pools" -> json(exchange, addresses.get().pools());
                case "/api/certificates" -> json(exchange, certificates.get());
                case "/api/routes" -> routes(exchange);
                default -> send(exchange, 404, "text/plain", "no such page (expected: /healthz, /readyz, /api/overview, /api/problems,"
                        + " /api/services, /api/pools, /api/routes, /api/certificates)\n");
            }
        }
    }

    private void routes(HttpExchange exchange) throws IOException {
        Optional<RoutesView> inForce = routes.get();
        if (inForce.isPresent()) {
            json(exchange, inForce.get());
        } else {
            send(exchange, 404, "text/plain", "no HTTP data plane runs here\n");
        }
    }

    /** Ready once a first valid configuration is in force. */
    private void readiness(HttpExchange exchange) throws IOException {
        long generation = state.current().generation();
        if (generation > 0) {
            send(exchange, 200, "text/plain", "ready: generation " + generation + "\n");
        } else {
            send(exchange, 503, "text/plain", "not ready: no valid configuration yet (see /api/problems)\n");
        }
    }

    private static void json(HttpExchange exchange, Object body) throws IOException {
        send(exchange, 200, "application/json", JSON.writeValueAsString(body) + "\n");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
