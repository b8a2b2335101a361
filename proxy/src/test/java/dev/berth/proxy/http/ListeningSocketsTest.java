package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.proxy.config.HttpRoute.PathType;
import dev.berth.proxy.transport.Transport;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On epoll and io_uring each event loop listens on the port with a socket of its own and serves the connections it
 * accepts; NIO listens with one socket for all loops. Either way every connection is served.
 */
class ListeningSocketsTest {
    private static final int CONNECTIONS = 40;

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"IO_URING", "EPOLL"})
    void eachEventLoopListensOnTheSamePortWithASocketOfItsOwn(Transport transport) throws Exception {
        assumeTrue(transport.unavailabilityCause().isEmpty(), () -> transport + " is not available here");
        try (EchoBackend backend = new EchoBackend("alpha"); DataPlane plane = start(transport, backend)) {
            List<Channel> sockets = plane.listeningSockets();

            assertThat(sockets).hasSize(3);
            assertThat(sockets).extracting(Channel::eventLoop).doesNotHaveDuplicates();
            assertThat(sockets).extracting(socket -> ((InetSocketAddress) socket.localAddress()).getPort())
                    .containsOnly(plane.httpAddress().getPort());
            assertEveryConnectionIsServed(plane, backend);
        }
    }

    @Test
    void nioListensWithOneSocketForAllLoops() throws Exception {
        try (EchoBackend backend = new EchoBackend("alpha"); DataPlane plane = start(Transport.NIO, backend)) {
            assertThat(plane.listeningSockets()).hasSize(1);
            assertEveryConnectionIsServed(plane, backend);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"IO_URING", "EPOLL"})
    void aPortASocketWithoutPortSharingHoldsIsRefusedSayingSo(Transport transport) throws Exception {
        assumeTrue(transport.unavailabilityCause().isEmpty(), () -> transport + " is not available here");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DataPlane.Settings settings = settings(transport, new InetSocketAddress("127.0.0.1", taken.getLocalPort()));

            assertThatThrownBy(() -> DataPlane.start(settings).close())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--http 127.0.0.1:" + taken.getLocalPort() + ": cannot listen: ");
        }
    }

    private static DataPlane start(Transport transport, EchoBackend backend) throws InterruptedException {
        DataPlane plane = DataPlane.start(settings(transport, new InetSocketAddress("127.0.0.1", 0)));
        plane.apply(DataPlaneTest.config(Map.of("shop/alpha:http", List.of(backend.address())),
                DataPlaneTest.route("shop.example.com", PathType.PREFIX, "/", "shop/alpha:http")));
        return plane;
    }

    private static DataPlane.Settings settings(Transport transport, InetSocketAddress http) {
        return new DataPlane.Settings(new TransportChoice(transport, List.of()), http, 3, Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(30), 8, List.of(), false);
    }

    /** A connection per request, each closed after its response: the kernel spreads them over the sockets. */
    private static void assertEveryConnectionIsServed(DataPlane plane, EchoBackend backend) throws Exception {
        for (int i = 0; i < CONNECTIONS; i++) {
            try (Socket client = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
                client.setSoTimeout(5_000);
                client.getOutputStream().write(("GET /n" + i + " HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(DataPlaneTest.readSizedResponse(client.getInputStream())).startsWith("HTTP/1.1 200 ").contains("uri=/n" + i);
            }
        }
        assertThat(backend.requestsSeen()).isEqualTo(CONNECTIONS);
    }
}
