package dev.berth.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.TcpConfig;
import dev.berth.proxy.config.TcpService;
import dev.berth.proxy.transport.Transport;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.channel.epoll.Epoll;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shows that on epoll the L4 relay asked to splice moves bytes with {@code splice(2)}: every byte the relay handler would
 * see as a ByteBuf is counted, and after 64 MiB each way the count is zero while the splice rounds add up to the
 * traffic.
 */
@Timeout(60)
class TcpSpliceTest {
    private static final long SIZE = 64L << 20;
    /** Netty's adaptive read size never exceeds 64 KiB, and one splice round moves at most one read size. */
    private static final long MAX_ROUND = 64 * 1024;

    @Test
    void epollRelaysEveryByteThroughTheKernel() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        // The upstream confirms all it got before it answers, and the client closes only after everything arrived:
        // no FIN ever finds bytes still queued, so nothing may legitimately take the ByteBuf path.
        CompletableFuture<String> upstreamSent = new CompletableFuture<>();
        try (TestUpstream upstream = new TestUpstream(socket -> {
                    InputStream in = socket.getInputStream();
                    TestUpstream.Received got = TestUpstream.readExactly(in, SIZE);
                    socket.getOutputStream().write((got.bytes() + " " + got.sha256() + "\n").getBytes());
                    upstreamSent.complete(TestUpstream.writeStream(socket.getOutputStream(), SIZE, 6));
                    in.transferTo(OutputStream.nullOutputStream());
                });
                TcpDataPlane plane = TcpDataPlane.start(TransportChoice.choose("auto"), 1, true)) {
            assertThat(plane.transport()).isEqualTo(Transport.EPOLL);
            assertThat(plane.splices()).isTrue();
            plane.apply(new TcpConfig(1, List.of(TcpService.plain("shop/cache:6379", new InetSocketAddress("127.0.0.1", 0),
                    "round-robin", List.of(new Endpoint(upstream.address(), 1, null))))));
            InetSocketAddress listener = plane.boundAddress("shop/cache:6379").orElseThrow();

            try (Socket client = new Socket(listener.getAddress(), listener.getPort())) {
                client.setSoTimeout(20_000);
                var received = CompletableFuture.supplyAsync(() -> {
                    try {
                        InputStream in = client.getInputStream();
                        return TestUpstream.readLine(in) + "|" + TestUpstream.readExactly(in, SIZE);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, runnable -> Thread.ofVirtual().start(runnable));
                String sent = TestUpstream.writeStream(client.getOutputStream(), SIZE, 5);
                assertThat(received.get(60, TimeUnit.SECONDS))
                        .isEqualTo(SIZE + " " + sent + "|" + new TestUpstream.Received(SIZE, upstreamSent.get()));
            }
            TcpDataPlane.RelayStats stats = plane.stats();
            assertThat(stats.relay()).isEqualTo(TcpDataPlane.Relay.SPLICE);
            assertThat(stats.bufferedBytes()).isZero();
            assertThat(stats.spliceStarts()).isEqualTo(2);
            assertThat(stats.splicedReads()).isGreaterThanOrEqualTo(2 * SIZE / MAX_ROUND);
        }
    }
}
