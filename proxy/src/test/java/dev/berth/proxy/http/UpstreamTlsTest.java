package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.HttpRoute.PathType;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.tls.TlsLibrary;
import dev.berth.proxy.transport.Transport;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.handler.ssl.OpenSsl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Upstream TLS for {@code https} backends, end to end: curl → Berth (cleartext) → a real HTTPS server with a fresh
 * self-signed certificate, which Berth accepts unverified (ingress-nginx's default). Also what happens when the
 * endpoint is not speaking TLS after all: a real NGINX on plain HTTP, or a port that never answers.
 */
@Timeout(60)
class UpstreamTlsTest {
    private static final String BACKEND = "shop/secure:https";

    @TempDir
    Path scratch;

    private DataPlane plane;
    private String base;
    private EchoBackend secure;
    private final ListAppender<ILoggingEvent> frontendLog = new ListAppender<>();
    private Process nginx;

    @BeforeEach
    void start() throws Exception {
        secure = EchoBackend.tls("secure", SelfSignedTls.serverContext("secure.pod.internal"));
        frontendLog.start();
        ((Logger) LoggerFactory.getLogger(FrontendHandler.class)).addAppender(frontendLog);
    }

    /** One event loop, so both requests share one upstream pool; a 1 s connect timeout bounds the handshake too. */
    private void startPlane(String transport) throws Exception {
        startPlane(transport, TlsLibrary.AUTO);
    }

    private void startPlane(String transport, TlsLibrary library) throws Exception {
        plane = DataPlane.start(new DataPlane.Settings(TransportChoice.choose(transport), new InetSocketAddress("127.0.0.1", 0),
                1, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), 8, List.of(), false).withTlsLibrary(library));
        base = "http://127.0.0.1:" + plane.httpAddress().getPort();
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(FrontendHandler.class)).detachAppender(frontendLog);
        if (plane != null) {
            plane.close();
        }
        secure.close();
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void serveHttps(InetSocketAddress endpoint) {
        Backend backend = new Backend(BACKEND, Backend.Protocol.HTTPS, "round-robin", List.of(new Endpoint(endpoint, 1, null)));
        plane.apply(new ProxyConfig(1, List.of(new HttpRoute("shop.example.com", PathType.PREFIX, "/", BACKEND, "test shop", 0)),
                Optional.empty(), Map.of(BACKEND, backend)));
    }

    private Curl.Result get(String path) throws Exception {
        return Curl.run("-H", "Host: shop.example.com", base + path);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void httpsBackendIsServedOverOneKeptAliveTlsConnection(Transport transport) throws Exception {
        assumeTrue(transport.unavailabilityCause().isEmpty(), () -> transport + " is not available here");
        startPlane(transport.cliName());
        assertServedOverOneTlsConnection(OpenSsl.isAvailable() ? "by BoringSSL" : "by the JDK's TLS");
    }

    @Test
    void theJdksTlsServesHttpsBackendsWhenChosen() throws Exception {
        startPlane("auto", TlsLibrary.JDK);
        assertServedOverOneTlsConnection("by the JDK's TLS");
    }

    private void assertServedOverOneTlsConnection(String library) throws Exception {
        serveHttps(secure.address());
        Logger tlsLogger = (Logger) LoggerFactory.getLogger(UpstreamTls.class);
        ListAppender<ILoggingEvent> tlsLog = new ListAppender<>();
        tlsLog.start();
        tlsLogger.addAppender(tlsLog);
        tlsLogger.setLevel(Level.DEBUG);

        Curl.Result first = get("/one");
        Curl.Result second = get("/two");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).contains("backend=secure", "uri=/one", "host: shop.example.com", "x-forwarded-proto: http");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).contains("backend=secure", "uri=/two");
        assertThat(secure.requestsSeen()).isEqualTo(2);
        assertThat(secure.connectionsSeen()).as("upstream connections").isEqualTo(1);
        assertThat(secure.tlsSessions()).as("upstream TLS handshakes").isEqualTo(1);
        assertThat(secure.serverNames()).as("SNI").containsExactly("shop.example.com");
        tlsLogger.detachAppender(tlsLog);
        tlsLogger.setLevel(null);
        assertThat(tlsLog.list).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("tls://" + secure.address().getAddress().getHostAddress() + ":" + secure.address().getPort(),
                        library, "certificate not verified");
    }

    @Test
    void plainHttpEndpointBehindHttpsIs502WithAReason() throws Exception {
        startPlane("auto");
        InetSocketAddress plain = startPlainNginx();
        serveHttps(plain);

        assertThat(get("/").status()).isEqualTo(502);
        assertThat(frontendLog.list).extracting(ILoggingEvent::getFormattedMessage).anySatisfy(line -> assertThat(line)
                .contains("502 GET /", "test shop -> " + BACKEND, "127.0.0.1:" + plain.getPort(),
                        "the endpoint answered without TLS"));
    }

    @Test
    void endpointThatNeverAnswersTheHandshakeIs504() throws Exception {
        startPlane("auto");
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            serveHttps(new InetSocketAddress("127.0.0.1", silent.getLocalPort()));
            assertThat(get("/").status()).isEqualTo(504);
        }
        assertThat(frontendLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).contains("504 GET /", "TLS handshake timed out"));
    }

    /** A real NGINX on plain HTTP, as a pod whose Service wrongly says https would be. */
    private InetSocketAddress startPlainNginx() throws Exception {
        Path binary = Path.of("/usr/sbin/nginx");
        assumeTrue(Files.isExecutable(binary), "nginx is not installed");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = scratch.resolve("nginx.conf");
        Files.writeString(config, """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log stderr error;
                events {}
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  server { listen 127.0.0.1:%2$d; location / { return 200 "plain\\n"; } }
                }
                """.formatted(scratch, port));
        nginx = new ProcessBuilder(binary.toString(), "-p", scratch.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(scratch.resolve("nginx.log").toFile()).start();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                new Socket(address.getAddress(), port).close();
                return address;
            } catch (IOException notYet) {
                if (!nginx.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("nginx did not start: " + Files.readString(scratch.resolve("nginx.log")));
                }
                Thread.onSpinWait();
            }
        }
    }
}
