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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every event loop serves the same share of the connections held open at once: they come in on one listening socket
 * and each goes to the less loaded of two loops ({@link dev.berth.proxy.transport.LessLoadedLoop}), which for equal
 * loads is the loop in turn. Seen from the backend: each loop keeps its own upstream connection, so client
 * connections opened one after another and kept open, each with one request, reach it over as many connections as
 * there are loops, the same number each. (Port-sharing sockets, one per loop, would leave the split to the kernel's
 * hash of the client's address.)
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

            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < LOOPS * CONNECTIONS_PER_LOOP; i++) {
                    Socket client = new Socket("127.0.0.1", plane.httpAddress().getPort());
                    clients.add(client);
                    client.setSoTimeout(5_000);
                    client.getOutputStream().write(("GET /n" + i + " HTTP/1.1\r\nHost: shop.example.com\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    assertThat(DataPlaneTest.readSizedResponse(client.getInputStream())).startsWith("HTTP/1.1 200 ").contains("uri=/n" + i);
                }
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }

            assertThat(backend.requestsPerConnection()).isEqualTo(Collections.nCopies(LOOPS, CONNECTIONS_PER_LOOP));
        }
    }
}
