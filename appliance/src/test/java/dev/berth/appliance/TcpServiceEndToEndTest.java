package dev.berth.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.address.AddressPlane;
import dev.berth.appliance.address.StateFileStore;
import dev.berth.appliance.source.ManifestDirectorySource;
import dev.berth.proxy.http.DataPlane;
import dev.berth.proxy.transport.TransportChoice;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A LoadBalancer Service annotated {@code berth.dev/proxy: tcp}, from a manifest file to bytes echoed through Berth. */
class TcpServiceEndToEndTest {
    @TempDir
    Path manifests;

    @TempDir
    Path state;

    private ServerSocket echo;
    private Appliance appliance;

    @AfterEach
    void stop() throws Exception {
        if (appliance != null) {
            appliance.close();
        }
        echo.close();
    }

    private void startEcho() throws Exception {
        echo = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                            in.transferTo(out);
                        } catch (Exception e) {
                            // the client went away
                        }
                    });
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** @param splice {@code run --tcp-splice}: the relay moves bytes in the kernel on epoll; by default through buffers */
    @ParameterizedTest(name = "splice={0}")
    @ValueSource(booleans = {false, true})
    void bytesGoThroughTheTcpListenerOfTheService(boolean splice) throws Exception {
        startEcho();
        int servicePort = freePort();
        Files.writeString(manifests.resolve("db.yaml"), """
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: lan, namespace: berth-system}
                spec: {addresses: [192.0.2.100/30]}
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: db
                  annotations: {berth.dev/proxy: tcp}
                spec:
                  type: LoadBalancer
                  ports: [{name: sql, port: %d, protocol: TCP}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: db-1, labels: {kubernetes.io/service-name: db}}
                addressType: IPv4
                ports: [{name: sql, port: %d}]
                endpoints: [{addresses: [127.0.0.1]}]
                """.formatted(servicePort, echo.getLocalPort()));
        TransportChoice transport = TransportChoice.choose("auto");
        appliance = Appliance.start(new Appliance.Settings("node", "test", transport.transport().cliName(),
                        new InetSocketAddress("127.0.0.1", 0),
                        Optional.of(DataPlane.Settings.defaults(transport, new InetSocketAddress("127.0.0.1", 0)).withTcpSplice(splice)),
                        Optional.of(new AddressPlane(StateFileStore.open(state), AddressPlane.defaultClasses())),
                        Optional.of(InetAddress.getLoopbackAddress()), Optional.empty()),
                new ManifestDirectorySource(manifests, Duration.ofMillis(100), Duration.ofMillis(500)));

        assertThat(appliance.addressView().services()).singleElement()
                .satisfies(service -> assertThat(service.ips()).containsExactly("192.0.2.100"));
        assertThat(appliance.tcpAddress("default/db:sql")).contains(new InetSocketAddress(InetAddress.getLoopbackAddress(), servicePort));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), servicePort)) {
            client.setSoTimeout(5000);
            byte[] message = "SELECT 1;".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(message);
            client.shutdownOutput(); // like `echo … | nc`: data and FIN at once, before Berth has even connected upstream
            assertThat(client.getInputStream().readAllBytes()).isEqualTo(message);
        }
        // how an operator knows where the bytes went: the overview's L4 counters
        JsonNode tcp = overview().path("tcp");
        assertThat(tcp.path("transport").asString()).isEqualTo("epoll");
        assertThat(tcp.path("connections").asLong()).isEqualTo(1);
        if (splice) {
            assertThat(tcp.path("relay").asString()).isEqualTo("splice");
            // at most the message: it came with the FIN before the relay began, and bytes behind a FIN are read, not spliced
            assertThat(tcp.path("bufferedBytes").asLong()).isBetween(0L, (long) "SELECT 1;".length());
        } else {
            assertThat(tcp.path("relay").asString()).isEqualTo("bytebuf");
            // the message up and its echo down, each counted once
            assertThat(tcp.path("bufferedBytes").asLong()).isEqualTo(2L * "SELECT 1;".length());
        }
    }

    private JsonNode overview() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + appliance.adminAddress().getPort() + "/api/overview");
            return JsonMapper.builder().build().readTree(http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
    }
}
