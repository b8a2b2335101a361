package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.proxy.config.HttpRoute.PathType;
import dev.berth.proxy.transport.Transport;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An upstream connection resting in the pool is being read: what its server sends then (nothing should come before
 * the next request) closes it at once, instead of waiting in the socket to be taken for the next request's response.
 */
class PooledUpstreamTest {
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: shop.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"IO_URING", "EPOLL"})
    void bytesAnUpstreamSendsWhileItRestsCloseItAndTheNextRequestGetsItsOwnResponse(Transport transport) throws Exception {
        assumeTrue(transport.unavailabilityCause().isEmpty(), () -> transport + " is not available here");
        // an idle timeout far longer than the test: only what the server sends may end the pooled connection
        try (ServerSocket raw = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
                DataPlane plane = DataPlane.start(new DataPlane.Settings(new TransportChoice(transport, List.of()),
                        new InetSocketAddress("127.0.0.1", 0), 1, Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(60), 8, List.of(), false))) {
            plane.apply(DataPlaneTest.config(Map.of("shop/raw:http", List.of(new InetSocketAddress("127.0.0.1", raw.getLocalPort()))),
                    DataPlaneTest.route("shop.example.com", PathType.PREFIX, "/", "shop/raw:http")));
            try (Socket client = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
                client.setSoTimeout(5_000);
                client.getOutputStream().write(REQUEST);
                try (Socket first = raw.accept()) {
                    answer(first, client, "first");

                    // the exchange is over, so the connection rests in the pool: a stale response arrives on it
                    first.getOutputStream().write(response("stale"));
                    try {
                        assertThat(first.getInputStream().read()).isEqualTo(-1);
                    } catch (SocketTimeoutException e) {
                        throw new AssertionError("a pooled upstream connection kept 5 s what its server sent while it rested", e);
                    }
                }
                client.getOutputStream().write(REQUEST);
                try (Socket second = raw.accept()) {
                    answer(second, client, "fresh");
                }
            }
        }
    }

    /** The upstream end takes the client's request and answers {@code body}, which the client gets. */
    private static void answer(Socket upstream, Socket client, String body) throws IOException {
        upstream.setSoTimeout(5_000);
        assertThat(DataPlaneTest.readUntil(upstream.getInputStream(), "\r\n\r\n")).startsWith("GET / ");
        upstream.getOutputStream().write(response(body));
        assertThat(DataPlaneTest.readSizedResponse(client.getInputStream())).endsWith(body);
    }

    private static byte[] response(String body) {
        return ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
