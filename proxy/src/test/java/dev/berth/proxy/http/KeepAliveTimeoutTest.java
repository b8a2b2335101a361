package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.HttpRoute.PathType;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.transport.TransportChoice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keep-alive timeout counts from the end of the last response, not from the last byte read. */
class KeepAliveTimeoutTest {
    private static final Duration KEEP_ALIVE = Duration.ofMillis(300);

    private EchoBackend backend;
    private DataPlane plane;

    @BeforeEach
    void start() throws Exception {
        backend = new EchoBackend("slow");
        plane = DataPlane.start(new DataPlane.Settings(TransportChoice.choose("auto"), new InetSocketAddress("127.0.0.1", 0),
                1, Duration.ofSeconds(2), Duration.ofSeconds(5), KEEP_ALIVE, 8, List.of(), false));
        Backend slow = new Backend("shop/slow:http", Backend.Protocol.HTTP, "round-robin",
                List.of(new Endpoint(backend.address(), 1, null)));
        plane.apply(new ProxyConfig(1, List.of(new HttpRoute("shop.example.com", PathType.PREFIX, "/", slow.name(), "test", 0)),
                Optional.empty(), Map.of(slow.name(), slow)));
    }

    @AfterEach
    void stop() {
        plane.close();
        backend.close();
    }

    @Test
    void aConnectionWaitsTheWholeTimeoutAfterALongExchangeAndIsThenClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
            socket.setSoTimeout(5_000);
            // longer than the keep-alive timeout: while the exchange runs, the connection is busy, not idle
            assertThat(exchange(socket, "/sleep/700")).endsWith("slept");
            // right after it, the connection still takes a request: its idle time starts now, not at the last read
            assertThat(exchange(socket, "/sleep/0")).endsWith("slept");
            long idleFrom = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1); // closed by the proxy, not by our read timeout
            Duration waited = Duration.ofNanos(System.nanoTime() - idleFrom);
            assertThat(waited).isBetween(KEEP_ALIVE.minusMillis(50), KEEP_ALIVE.plusSeconds(2));
        }
    }

    @Test
    void aRequestHeadThatNeverEndsIsClosedAfterTheTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.example.com\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the proxy kept a connection with an unfinished request head for 5 s", e);
            }
        }
    }

    /** The same timeout closes an upstream connection that rests in the pool, counted from when it was pooled. */
    @Test
    void aPooledUpstreamConnectionRestingPastTheTimeoutIsClosed() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Backend pod = new Backend("shop/raw:http", Backend.Protocol.HTTP, "round-robin",
                    List.of(new Endpoint(new InetSocketAddress("127.0.0.1", raw.getLocalPort()), 1, null)));
            plane.apply(new ProxyConfig(2, List.of(new HttpRoute("shop.example.com", PathType.PREFIX, "/", pod.name(), "test", 0)),
                    Optional.empty(), Map.of(pod.name(), pod)));
            try (Socket client = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
                client.setSoTimeout(5_000);
                client.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                try (Socket upstream = raw.accept()) {
                    upstream.setSoTimeout(5_000);
                    assertThat(DataPlaneTest.readUntil(upstream.getInputStream(), "\r\n\r\n")).startsWith("GET / ");
                    upstream.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));

                    assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).endsWith("ok");
                    long restFrom = System.nanoTime(); // the client's connection has ended; the upstream one is pooled
                    try {
                        assertThat(upstream.getInputStream().read()).isEqualTo(-1);
                    } catch (SocketTimeoutException e) {
                        throw new AssertionError("a pooled upstream connection rested 5 s, past the 300 ms idle timeout", e);
                    }
                    Duration rested = Duration.ofNanos(System.nanoTime() - restFrom);
                    assertThat(rested).isBetween(KEEP_ALIVE.minusMillis(50), KEEP_ALIVE.plusSeconds(2));
                }
            }
        }
    }

    /** One request on a kept-alive connection; returns the response, whose body ends the Content-Length says. */
    private static String exchange(Socket socket, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: shop.example.com\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return DataPlaneTest.readSizedResponse(socket.getInputStream());
    }
}
