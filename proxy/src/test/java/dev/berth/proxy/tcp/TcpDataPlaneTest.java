package dev.berth.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.TcpConfig;
import dev.berth.proxy.config.TcpService;
import dev.berth.proxy.transport.TransportChoice;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Listeners and balancing across configurations: what {@link TcpDataPlane#apply} opens, keeps, swaps and closes. */
@Timeout(60)
class TcpDataPlaneTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TestUpstream alpha;
    private TestUpstream beta;
    private TestUpstream gamma;
    private TcpDataPlane plane;

    @BeforeEach
    void start() throws IOException {
        alpha = closing(new TestUpstream(TestUpstream.namedEcho("alpha")));
        beta = closing(new TestUpstream(TestUpstream.namedEcho("beta")));
        gamma = closing(new TestUpstream(TestUpstream.namedEcho("gamma")));
        plane = TcpDataPlane.start(TransportChoice.choose("auto"), 1);
    }

    @AfterEach
    void stop() throws Exception {
        plane.close();
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private static TcpService service(String name, InetSocketAddress listen, String balance, TestUpstream... upstreams) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (TestUpstream upstream : upstreams) {
            endpoints.add(new Endpoint(upstream.address(), 1, null));
        }
        return TcpService.plain(name, listen, balance, endpoints);
    }

    private Socket connect(String service) throws IOException {
        InetSocketAddress address = plane.boundAddress(service).orElseThrow();
        Socket socket = closing(new Socket(address.getAddress(), address.getPort()));
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Connects, reads the greeting (the endpoint's name), closes. */
    private String greeting(String service) throws IOException {
        try (Socket socket = connect(service)) {
            return TestUpstream.readLine(socket.getInputStream());
        }
    }

    @Test
    void roundRobinSpreadsThirtyConnectionsTenTenTen() throws IOException {
        plane.apply(new TcpConfig(1, List.of(service("shop/db:5432", ANY_PORT, "round-robin", alpha, beta, gamma))));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            counts.merge(greeting("shop/db:5432"), 1, Integer::sum);
        }
        assertThat(counts).isEqualTo(Map.of("alpha", 10, "beta", 10, "gamma", 10));
    }

    @Test
    void maglevKeepsOneClientAddressOnOneEndpoint() throws IOException {
        plane.apply(new TcpConfig(1, List.of(service("shop/db:5432", ANY_PORT, "maglev", alpha, beta, gamma))));
        String first = greeting("shop/db:5432");
        for (int i = 0; i < 10; i++) {
            assertThat(greeting("shop/db:5432")).isEqualTo(first);
        }
    }

    @Test
    void swapKeepsOpenConnectionsAndSendsNewOnesToTheNewEndpoints() throws IOException {
        plane.apply(new TcpConfig(1, List.of(service("shop/db:5432", ANY_PORT, "round-robin", alpha))));
        InetSocketAddress before = plane.boundAddress("shop/db:5432").orElseThrow();
        Socket open = connect("shop/db:5432");
        InputStream openIn = open.getInputStream();
        assertThat(TestUpstream.readLine(openIn)).isEqualTo("alpha");

        assertThat(plane.apply(new TcpConfig(2, List.of(service("shop/db:5432", ANY_PORT, "round-robin", beta))))).isEmpty();

        assertThat(plane.boundAddress("shop/db:5432")).contains(before);
        open.getOutputStream().write("still there?\n".getBytes());
        assertThat(TestUpstream.readLine(openIn)).isEqualTo("still there?");
        assertThat(greeting("shop/db:5432")).isEqualTo("beta");
        assertThat(greeting("shop/db:5432")).isEqualTo("beta");
    }

    @Test
    void listenerRemovedByApplyStopsAccepting() throws IOException {
        plane.apply(new TcpConfig(1, List.of(service("shop/db:5432", ANY_PORT, "round-robin", alpha),
                service("shop/cache:6379", ANY_PORT, "round-robin", beta))));
        InetSocketAddress cache = plane.boundAddress("shop/cache:6379").orElseThrow();
        assertThat(greeting("shop/cache:6379")).isEqualTo("beta");

        plane.apply(new TcpConfig(2, List.of(service("shop/db:5432", ANY_PORT, "round-robin", alpha))));

        assertThat(plane.boundAddress("shop/cache:6379")).isEmpty();
        assertThatThrownBy(() -> new Socket(cache.getAddress(), cache.getPort()).close()).isInstanceOf(ConnectException.class);
        assertThat(greeting("shop/db:5432")).isEqualTo("alpha");
    }

    @Test
    void addressInUseIsReportedAndTheOtherServicesServe() throws IOException {
        ServerSocket taken = closing(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        InetSocketAddress busy = new InetSocketAddress("127.0.0.1", taken.getLocalPort());

        List<TcpDataPlane.BindFailure> failures = plane.apply(new TcpConfig(1, List.of(
                service("shop/db:5432", busy, "round-robin", alpha),
                service("shop/cache:6379", ANY_PORT, "round-robin", beta))));

        assertThat(failures).singleElement().satisfies(failure -> {
            assertThat(failure.service()).isEqualTo("shop/db:5432");
            assertThat(failure.listen()).isEqualTo(busy);
            assertThat(failure.toString()).contains("shop/db:5432", "127.0.0.1:" + busy.getPort());
        });
        assertThat(plane.boundAddress("shop/db:5432")).isEmpty();
        assertThat(greeting("shop/cache:6379")).isEqualTo("beta");
    }

    @Test
    void serviceWithoutEndpointsClosesTheClient() throws IOException {
        plane.apply(new TcpConfig(1, List.of(service("shop/empty:80", ANY_PORT, "round-robin"))));
        try (Socket socket = connect("shop/empty:80")) {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }
}
