package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real {@code berth run} processes joined with {@code --cluster-bind}/{@code --peers} on loopback, one manifest
 * directory, a state directory each, no {@code --interface} (nothing announces): every node shows the same IPs and
 * keeps the same table; SIGKILL of the coordinator leaves the others allocating new Services from the same table,
 * without moving or duplicating an IP; a node that joins late, with an empty state directory, gets the table.
 */
class ReplicatedAllocationsTest {
    private static final Pattern ADMIN = Pattern.compile("admin API on (http://127\\.0\\.0\\.1:\\d+)/");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DEADLINE = Duration.ofSeconds(40);

    @TempDir
    Path work;

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, String> admins = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        processes.values().forEach(Process::destroyForcibly);
        http.close();
    }

    @Test
    void nodesAgreeOnEveryIpAndOutliveTheirCoordinator() throws Exception {
        Path manifests = Files.createDirectories(work.resolve("manifests"));
        Files.writeString(manifests.resolve("pool.yaml"), """
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: lan, namespace: berth-system}
                spec: {addresses: [192.0.2.0/24]}
                """);
        List<Integer> ports = freePorts(4);
        String peers = String.join(",", ports.stream().map(port -> "127.0.0.1:" + port).toList());
        start("node-a", ports.get(0), peers, manifests);
        // Created one by one in reverse order, so that a node allocating on its own from the same manifests later
        // (all at once, in name order) would choose differently: agreement below can only come from the table.
        for (int i = 4; i >= 0; i--) {
            Files.writeString(manifests.resolve("svc-" + i + ".yaml"), service(i));
            int count = 5 - i;
            awaitAgreement(List.of("node-a"), ips -> ips.size() == count);
        }
        start("node-b", ports.get(1), peers, manifests);
        start("node-c", ports.get(2), peers, manifests);

        Map<String, String> first = awaitAgreement(List.of("node-a", "node-b", "node-c"), ips -> ips.size() == 5);
        assertThat(first.values()).doesNotHaveDuplicates();
        assertThat(first.get("svc-4")).as("allocated first, alone").isEqualTo(first.values().stream().min(ReplicatedAllocationsTest::byAddress).orElseThrow());
        assertThat(stateTable("node-b")).isEqualTo(stateTable("node-a")).isEqualTo(stateTable("node-c"));

        long killedAt = System.nanoTime();
        processes.remove("node-a").destroyForcibly().waitFor(); // SIGKILL: no leave, no shutdown hook
        for (int i = 5; i < 10; i++) {
            Files.writeString(manifests.resolve("svc-" + i + ".yaml"), service(i));
        }
        Map<String, String> second = awaitAgreement(List.of("node-b", "node-c"), ips -> ips.size() == 10);
        System.out.printf("after SIGKILL of the coordinator, 5 new Services were allocated and replicated within %d ms%n",
                Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
        assertThat(second.values()).doesNotHaveDuplicates();
        first.forEach((name, ip) -> assertThat(second.get(name)).as(name + " kept its IP").isEqualTo(ip));
        assertThat(stateTable("node-c")).isEqualTo(stateTable("node-b"));

        start("node-d", ports.get(3), peers, manifests);
        Map<String, String> late = awaitAgreement(List.of("node-b", "node-c", "node-d"), ips -> ips.size() == 10);
        assertThat(late).isEqualTo(second);
        assertThat(stateTable("node-d")).isEqualTo(stateTable("node-b"));
    }

    private void start(String name, int port, String peers, Path manifests) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path log = work.resolve(name + ".log");
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), "dev.berth.appliance.cli.BerthCommand",
                "run", "--manifests", manifests.toString(), "--state", work.resolve("state-" + name).toString(),
                "--admin", "127.0.0.1:0", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0", "--node", name,
                "--cluster-bind", "127.0.0.1:" + port, "--peers", peers)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.put(name, process);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = ADMIN.matcher(Files.readString(log));
            if (matcher.find()) {
                admins.put(name, matcher.group(1));
                return;
            }
            Thread.sleep(20); // reading another process's log: no event to wait on
        }
        throw new AssertionError(name + " did not start:\n" + Files.readString(log));
    }

    /** Polls every node's /api/services until all show the same IPs and {@code enough} holds; returns them. */
    private Map<String, String> awaitAgreement(List<String> names, Predicate<Map<String, String>> enough) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Map<String, Map<String, String>> seen = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            seen.clear();
            for (String name : names) {
                seen.put(name, servedIps(admins.get(name)));
            }
            Map<String, String> one = seen.get(names.getFirst());
            if (enough.test(one) && seen.values().stream().allMatch(one::equals)) {
                return one;
            }
            Thread.sleep(50); // polled across the process boundary
        }
        StringBuilder logs = new StringBuilder();
        for (String name : names) {
            logs.append("\n--- ").append(name).append('\n').append(Files.readString(work.resolve(name + ".log")));
        }
        throw new AssertionError("no agreement within " + DEADLINE + ": " + seen + logs);
    }

    private Map<String, String> servedIps(String admin) throws Exception {
        try {
            JsonNode services = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(admin + "/api/services")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            Map<String, String> ips = new TreeMap<>();
            for (JsonNode service : services) {
                if (!service.path("ips").isEmpty()) {
                    ips.put(service.path("name").asString(), service.path("ips").get(0).asString());
                }
            }
            return ips;
        } catch (IOException e) {
            return Map.of(); // not listening yet
        }
    }

    /** The node's state file as JSON: allocations and the table's version. */
    private JsonNode stateTable(String name) throws IOException {
        return JSON.readTree(Files.readString(work.resolve("state-" + name).resolve(StateFileStore.FILE)));
    }

    private static int byAddress(String one, String other) {
        return Integer.compare(Integer.parseInt(one.substring(one.lastIndexOf('.') + 1)), Integer.parseInt(other.substring(other.lastIndexOf('.') + 1)));
    }

    private static String service(int i) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: svc-%d, namespace: shop}
                spec: {type: LoadBalancer, ports: [{port: 80}]}
                """.formatted(i);
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1")));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
