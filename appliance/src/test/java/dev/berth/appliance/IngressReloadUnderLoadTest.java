package dev.berth.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.berth.appliance.source.ManifestDirectorySource;
import dev.berth.proxy.http.DataPlane;
import dev.berth.proxy.transport.TransportChoice;
import java.net.InetSocketAddress;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole standalone path under load: a watched manifest directory, the appliance, the real data plane and two
 * real backends. Editing the Ingress must switch traffic within a second, with no failed request meanwhile.
 */
class IngressReloadUnderLoadTest {
    private static final int MAX_REQUESTS = 20_000;
    private static final Duration MAX_DURATION = Duration.ofSeconds(20);

    @TempDir
    Path manifests;

    private HttpServer blue;
    private HttpServer green;
    private Appliance appliance;

    @AfterEach
    void stop() {
        if (appliance != null) {
            appliance.close();
        }
        blue.stop(0);
        green.stop(0);
    }

    private static HttpServer backend(String name) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String service(String name, int port) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s}
                spec: {ports: [{name: http, port: 80}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: %1$s-1, labels: {kubernetes.io/service-name: %1$s}}
                addressType: IPv4
                ports: [{name: http, port: %2$d}]
                endpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]
                """.formatted(name, port);
    }

    private static String ingressTo(String service) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: berth
                  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
                spec: {controller: berth.dev/ingress-controller}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: shop}
                spec:
                  rules:
                    - http:
                        paths:
                          - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {name: http}}}}
                """.formatted(service);
    }

    @Test
    void editingTheIngressSwitchesTrafficWithinASecondAndNoRequestFails() throws Exception {
        blue = backend("blue");
        green = backend("green");
        Files.writeString(manifests.resolve("services.yaml"), service("blue", blue.getAddress().getPort())
                + "---\n" + service("green", green.getAddress().getPort()));
        Path ingress = manifests.resolve("ingress.yaml");
        Files.writeString(ingress, ingressTo("blue"));
        TransportChoice transport = TransportChoice.choose("auto");
        appliance = Appliance.start(new Appliance.Settings("node", "test", transport.transport().cliName(),
                        new InetSocketAddress("127.0.0.1", 0),
                        Optional.of(DataPlane.Settings.defaults(transport, new InetSocketAddress("127.0.0.1", 0))), Optional.empty()),
                new ManifestDirectorySource(manifests, Duration.ofMillis(100), Duration.ofMillis(500)));
        URI uri = URI.create("http://127.0.0.1:" + appliance.httpAddress().orElseThrow().getPort() + "/");

        int requests = 0;
        int failures = 0;
        long editedAt = 0;
        long switchedAt = 0;
        int afterSwitch = 0;
        long deadline = System.nanoTime() + MAX_DURATION.toNanos();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            while (requests < MAX_REQUESTS && System.nanoTime() < deadline && afterSwitch < 200) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                requests++;
                if (response.statusCode() != 200) {
                    failures++;
                }
                if (requests == 200) {
                    Files.writeString(ingress, ingressTo("green"));
                    editedAt = System.nanoTime();
                }
                if (editedAt != 0 && response.body().equals("green")) {
                    switchedAt = switchedAt == 0 ? System.nanoTime() : switchedAt;
                    afterSwitch++;
                }
            }
        }
        assertThat(failures).as("failed requests out of " + requests).isZero();
        assertThat(switchedAt).as("traffic reached green").isPositive();
        Duration switchTime = Duration.ofNanos(switchedAt - editedAt);
        System.out.println("ingress edit to traffic switch: " + switchTime.toMillis() + " ms, " + requests + " requests, 0 failed");
        assertThat(switchTime).isLessThan(Duration.ofSeconds(1));
    }
}
