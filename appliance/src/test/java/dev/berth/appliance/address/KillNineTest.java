package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real {@code berth run} process, killed with SIGKILL in the middle of a burst of new Services, then started
 * again: the state file is intact, no IP is lost or duplicated, and every Service ends up with an address.
 */
class KillNineTest {
    private static final int SERVICES = 60;
    private static final Pattern ADMIN = Pattern.compile("admin API on (http://127\\.0\\.0\\.1:\\d+)/");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path manifests;

    @TempDir
    Path state;

    @TempDir
    Path logs;

    private Process process;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
        http.close();
    }

    /** Starts {@code berth run} in a child JVM and returns its admin URL once it is ready. */
    private String start(String name) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path log = logs.resolve(name + ".log");
        process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), "dev.berth.appliance.cli.BerthCommand",
                "run", "--manifests", manifests.toString(), "--state", state.toString(),
                "--admin", "127.0.0.1:0", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0", "--node", name)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = ADMIN.matcher(Files.readString(log));
            if (matcher.find()) {
                String admin = matcher.group(1);
                if (awaitOk(admin + "/readyz")) {
                    return admin;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("berth did not become ready:\n" + Files.readString(log));
    }

    private boolean awaitOk(String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20); // polling an HTTP endpoint: there is no event to wait on across processes
        }
        return false;
    }

    private static String service(int i) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: svc-%03d, namespace: shop}
                spec: {type: LoadBalancer, ports: [{port: 80}]}
                """.formatted(i);
    }

    private static Map<String, String> stateFile(Path state) throws IOException {
        JsonNode stored = JSON.readTree(Files.readString(state.resolve(StateFileStore.FILE)));
        Map<String, String> ips = new HashMap<>();
        for (JsonNode entry : stored.path("allocations")) {
            ips.put(entry.path("name").asString(), entry.path("ips").get(0).asString());
        }
        return ips;
    }

    private Map<String, String> servedIps(String admin) throws Exception {
        JsonNode services = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(admin + "/api/services")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        Map<String, String> ips = new HashMap<>();
        for (JsonNode service : services) {
            if (!service.path("ips").isEmpty()) {
                ips.put(service.path("name").asString(), service.path("ips").get(0).asString());
            }
        }
        return ips;
    }

    @Test
    void sigkillDuringABurstLosesAndDuplicatesNothing() throws Exception {
        Files.writeString(manifests.resolve("pool.yaml"), """
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: lan, namespace: berth-system}
                spec: {addresses: [192.0.2.0/24]}
                """);
        start("first");
        for (int i = 0; i < SERVICES; i++) {
            Files.writeString(manifests.resolve("svc-" + i + ".yaml"), service(i));
            if (i == SERVICES / 2) {
                // Wait until some allocations are on disk, so the kill lands in the middle of real work.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while ((!Files.exists(state.resolve(StateFileStore.FILE)) || stateFile(state).isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(10); // the file is replaced atomically, so reading it while it changes is safe
                }
                process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
            }
        }
        Map<String, String> beforeRestart = stateFile(state);
        assertThat(beforeRestart).isNotEmpty();
        assertThat(beforeRestart.values()).doesNotHaveDuplicates();

        String admin = start("second");
        Map<String, String> served = Map.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && (served = servedIps(admin)).size() < SERVICES) {
            Thread.sleep(50); // the second process catches up on the burst; polled across the process boundary
        }
        Map<String, String> after = served;
        assertThat(after).hasSize(SERVICES);
        assertThat(after.values()).doesNotHaveDuplicates();
        beforeRestart.forEach((name, ip) -> assertThat(after.get(name)).as(name + " kept its IP").isEqualTo(ip));
        assertThat(stateFile(state)).isEqualTo(after);
        List<String> leftovers = Files.list(state).map(path -> path.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        assertThat(leftovers).as("no half-written file left behind by the second process").isEmpty();
    }
}
