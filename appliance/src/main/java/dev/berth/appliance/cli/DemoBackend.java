package dev.berth.appliance.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The demo's stand-in for a real application: the quick-start EndpointSlice points at 127.0.0.1:8080, and this
 * answers there with what it received, so the demo shows a request travelling through Berth.
 */
final class DemoBackend implements AutoCloseable {
    private final HttpServer server;

    private DemoBackend(HttpServer server) {
        this.server = server;
    }

    static DemoBackend start(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        server.createContext("/", DemoBackend::answer);
        server.start();
        return new DemoBackend(server);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String body = "hello from the demo backend at " + exchange.getLocalAddress() + "\n"
                    + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + "  Host: " + exchange.getRequestHeaders().getFirst("Host")
                    + "  X-Forwarded-For: " + exchange.getRequestHeaders().getFirst("X-Forwarded-For") + "\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
