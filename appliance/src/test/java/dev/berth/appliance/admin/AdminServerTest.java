package dev.berth.appliance.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.Appliance;
import dev.berth.appliance.Manifests;
import dev.berth.appliance.source.Observation;
import dev.berth.appliance.source.SnapshotSource;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The admin API over real HTTP, fed by a source the test drives by hand. */
class AdminServerTest {
    @TempDir
    Path scratch;

    private final HttpClient http = HttpClient.newHttpClient();
    private Consumer<Observation> sink;
    private Appliance appliance;

    @BeforeEach
    void start() throws Exception {
        SnapshotSource source = new SnapshotSource() {
            @Override
            public void start(Consumer<Observation> given) {
                sink = given;
            }

            @Override
            public String describe() {
                return "test source";
            }

            @Override
            public void close() {
            }
        };
        appliance = Appliance.start(new Appliance.Settings("node-a", "9.9.9", "epoll", new InetSocketAddress("127.0.0.1", 0), java.util.Optional.empty(), java.util.Optional.empty()), source);
    }

    @AfterEach
    void stop() {
        appliance.close();
        http.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + appliance.adminAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return JsonMapper.builder().build().readTree(response.body());
    }

    @Test
    void healthyAtOnceReadyOnlyWithAValidConfiguration() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
        sink.accept(Manifests.observe(scratch, "apiVersion: v1\nkind: Node\nmetadata: {name: n}\n"));
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready: generation 1\n");
    }

    @Test
    void overviewNamesTheNodeAndTheConfigurationInForce() throws Exception {
        sink.accept(Manifests.observe(scratch, "apiVersion: v1\nkind: Node\nmetadata: {name: n}\n"));
        JsonNode overview = json("/api/overview");
        assertThat(overview.path("node").asString()).isEqualTo("node-a");
        assertThat(overview.path("version").asString()).isEqualTo("9.9.9");
        assertThat(overview.path("transport").asString()).isEqualTo("epoll");
        assertThat(overview.path("source").asString()).isEqualTo("test source");
        assertThat(overview.path("generation").asLong()).isEqualTo(1);
        assertThat(overview.path("objects").path("Node").asInt()).isEqualTo(1);
        assertThat(overview.path("changedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(overview.path("problems").size()).isZero();
    }

    @Test
    void problemsAreObjectsWithStableFieldNames() throws Exception {
        sink.accept(Manifests.observe(scratch, """
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: wide, namespace: berth-system}
                spec: {addresses: [10.0.0.0/33]}
                """));
        JsonNode problem = json("/api/problems").get(0);
        assertThat(problem.path("kind").asString()).isEqualTo("IPAddressPool");
        assertThat(problem.path("namespace").asString()).isEqualTo("berth-system");
        assertThat(problem.path("name").asString()).isEqualTo("wide");
        assertThat(problem.path("field").asString()).isEqualTo("spec.addresses[0]");
        assertThat(problem.path("message").asString()).endsWith("(expected: 0..32)");
        assertThat(problem.path("effect").asString()).isEqualTo("REJECTS_CONFIG");
        JsonNode overview = json("/api/overview");
        assertThat(overview.path("latestRejected").asBoolean()).isTrue();
        assertThat(overview.path("generation").asLong()).isZero();
    }

    @Test
    void withoutAnHttpsListenerThereAreNoCertificates() throws Exception {
        JsonNode certificates = json("/api/certificates");
        assertThat(certificates.isArray()).isTrue();
        assertThat(certificates.size()).isZero();
    }

    @Test
    void withoutADataPlaneThereAreNoRoutes() throws Exception {
        HttpResponse<String> routes = get("/api/routes");
        assertThat(routes.statusCode()).isEqualTo(404);
        assertThat(routes.body()).isEqualTo("no HTTP data plane runs here\n");
    }

    @Test
    void unknownPagesAndMethods() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        URI uri = URI.create("http://127.0.0.1:" + appliance.adminAddress().getPort() + "/api/overview");
        var post = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
