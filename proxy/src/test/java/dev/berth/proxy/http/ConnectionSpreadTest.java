package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.proxy.config.HttpRoute.PathType;
import dev.berth.proxy.transport.Transport;
import dev.berth.proxy.transport.TransportChoice;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every event loop serves the same share of the connections: they come in on one listening socket and go to the
 * loops in turn. Seen from the backend: each loop keeps its own upstream connection, so one client connection after
 * another, each with one request, reaches it over as many connections as there are loops, the same number each.
 * (Port-sharing sockets, one per loop, would leave the split to the kernel's hash of the client's address.)
 */
class ConnectionSpreadTest {
    private static final int LOOPS = 3;
    private static final int CONNECTIONS_PER_LOOP = 10;

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void eachLoopServesTheSameNumberOfConnections(Transport transport) throws Exception {
        assumeTrue(transport.unavailabilityCause().isEmpty(), () -> transport + " is not available here");
        try (EchoBackend backend = new EchoBackend("alpha");
                DataPlane plane = DataPlane.start(new DataPlane.Settings(new TransportChoice(transport, List.of()),
                        new InetSocketAddress("127.0.0.1", 0), LOOPS, Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(30), 8, List.of(), false))) {
            plane.apply(DataPlaneTest.config(Map.of("shop/alpha:http", List.of(backend.address())),
                    DataPlaneTest.route("shop.example.com", PathType.PREFIX, "/", "shop/alpha:http")));

            for (int i = 0; i < LOOPS * CONNECTIONS_PER_LOOP; i++) {
                try (Socket client = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
                    client.setSoTimeout(5_000);
                    client.getOutputStream().write(("GET /n" + i + " HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    assertThat(DataPlaneTest.readSizedResponse(client.getInputStream())).startsWith("HTTP/1.1 200 ").contains("uri=/n" + i);
                }
            }

            assertThat(backend.requestsPerConnection()).isEqualTo(Collections.nCopies(LOOPS, CONNECTIONS_PER_LOOP));
        }
    }
}
