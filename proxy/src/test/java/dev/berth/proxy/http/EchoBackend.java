package dev.berth.proxy.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/**
 * A real upstream for proxy tests, on the JDK's HTTP server. It answers:
 * {@code /bytes/N} with N bytes (chunked), {@code /sha256} with the SHA-256 of the request body, {@code /status/N}
 * with that status, and anything else with its name, the method, the path and every request header, one per line.
 * It remembers which client ports it saw and how many requests came from each, so tests can tell whether the proxy
 * reused connections, and which of them.
 */
final class EchoBackend implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final Map<Integer, AtomicInteger> requestsPerClientPort = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();

    private final AtomicInteger tlsSessions = new AtomicInteger();
    private final Set<String> serverNames = ConcurrentHashMap.newKeySet();

    EchoBackend(String name) throws IOException {
        this(name, HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128));
        server.start();
    }

    /**
     * The same backend over TLS (JDK {@code HttpsServer}), counting TLS sessions (one per connection: the server
     * configures each connection's engine once) and recording the SNI names clients sent.
     */
    static EchoBackend tls(String name, SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        EchoBackend backend = new EchoBackend(name, server);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                backend.tlsSessions.incrementAndGet();
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(SNIServerName serverName) {
                        backend.serverNames.add(((SNIHostName) serverName).getAsciiName());
                        return true;
                    }
                }));
                params.setSSLParameters(parameters);
            }
        });
        server.start();
        return backend;
    }

    private EchoBackend(String name, HttpServer server) {
        this.name = name;
        this.server = server;
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    int connectionsSeen() {
        return requestsPerClientPort.size();
    }

    /** How many requests came over each connection the backend saw. */
    List<Integer> requestsPerConnection() {
        return requestsPerClientPort.values().stream().map(AtomicInteger::get).toList();
    }

    int requestsSeen() {
        return requests.get();
    }

    /** Body bytes handed to the socket by {@code /bytes/N} responses: they stop growing when nobody reads them. */
    long bytesSent() {
        return bytesSent.get();
    }

    int tlsSessions() {
        return tlsSessions.get();
    }

    Set<String> serverNames() {
        return Set.copyOf(serverNames);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requestsPerClientPort.computeIfAbsent(exchange.getRemoteAddress().getPort(), port -> new AtomicInteger()).incrementAndGet();
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/bytes/")) {
                long size = Long.parseLong(path.substring("/bytes/".length()));
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, 0);
                byte[] block = new byte[64 * 1024];
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) (i * 31);
                }
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long sent = 0; sent < size; sent += block.length) {
                        int length = (int) Math.min(block.length, size - sent);
                        out.write(block, 0, length);
                        bytesSent.addAndGet(length);
                    }
                }
                return;
            }
            if (path.startsWith("/status/")) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(Integer.parseInt(path.substring("/status/".length())), -1);
                return;
            }
            if (path.startsWith("/sleep/")) { // answers after that many milliseconds: a slow backend
                exchange.getRequestBody().readAllBytes();
                try {
                    Thread.sleep(Long.parseLong(path.substring("/sleep/".length())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                reply(exchange, "slept");
                return;
            }
            if (path.equals("/sha256")) {
                reply(exchange, sha256(exchange.getRequestBody()));
                return;
            }
            exchange.getRequestBody().readAllBytes();
            StringBuilder text = new StringBuilder("backend=" + name + "\nmethod=" + exchange.getRequestMethod()
                    + "\nuri=" + exchange.getRequestURI() + "\n");
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((key, values) -> headers.put(key.toLowerCase(), String.join(",", values)));
            headers.forEach((key, value) -> text.append(key).append(": ").append(value).append('\n'));
            reply(exchange, text.toString());
        }
    }

    private static void reply(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
