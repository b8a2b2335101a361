package dev.berth.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.appliance.source.KubernetesSource;
import dev.berth.appliance.source.Observation;
import dev.berth.appliance.source.SnapshotSource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kubeconfig FILE} reaches a real (mock) API server; bad source options are one clear line. */
@EnableKubernetesMockClient(crud = true)
class SourceOptionsTest {
    KubernetesClient client;

    @TempDir
    Path scratch;

    /**
     * The node is made after start and awaited through the watch, never before: the mock server sends each new watch an
     * ADDED for every object it holds, and a watch closed while such a send is in flight deadlocks its event loop for 30 s
     * (fabric8 8.0.0's {@code WatchEventsListener.onClosed} awaits its sender, which awaits that loop), failing the
     * server's 10 s shutdown. Once the node has reached an observation, no send is left in flight.
     */
    @Test
    void aKubeconfigFileSelectsTheKubernetesSource() throws Exception {
        Path kubeconfig = scratch.resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: tester, user: {token: secret}}]
                contexts: [{name: mock, context: {cluster: mock, user: tester, namespace: default}}]
                current-context: mock
                """.formatted(client.getConfiguration().getMasterUrl()));
        BlockingQueue<Observation> observations = new LinkedBlockingQueue<>();
        try (SourceOptions options = new SourceOptions()) { // closes the client, so the mock server has no open connections left
            options.kubeconfig = kubeconfig;
            try (SnapshotSource source = options.open()) {
                assertThat(source).isInstanceOf(KubernetesSource.class);
                source.start(observations::add);
                assertThat(observations.poll().snapshot().nodes()).as("nodes listed at start").isEmpty();
                client.resource(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build()).create();
                Observation watched = observations.poll(10, TimeUnit.SECONDS);
                assertThat(watched).as("an observation within 10 s of the node's creation").isNotNull();
                assertThat(watched.snapshot().nodes()).singleElement()
                        .satisfies(node -> assertThat(node.getMetadata().getName()).isEqualTo("node-1"));
            }
        }
    }

    @Test
    void anUnreadableKubeconfigIsNamed() {
        SourceOptions options = new SourceOptions();
        options.kubeconfig = scratch.resolve("missing");
        assertThatThrownBy(options::open).hasMessageEndingWith("missing: cannot be read (expected: a kubeconfig file)");
    }
}
