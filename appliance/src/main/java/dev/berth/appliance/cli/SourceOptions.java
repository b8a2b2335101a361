package dev.berth.appliance.cli;

import dev.berth.appliance.source.KubernetesSource;
import dev.berth.appliance.source.ManifestDirectorySource;
import dev.berth.appliance.source.SnapshotSource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the configuration comes from: exactly one of a manifest directory, a kubeconfig, or the pod's service account.
 * Closing it closes the Kubernetes client, if one was made: after everything that shares it.
 */
final class SourceOptions implements AutoCloseable {
    /** Edits closer together than this are one change. */
    static final Duration QUIET = Duration.ofMillis(100);
    /** A steady stream of edits still takes effect this often. */
    static final Duration MAX_DELAY = Duration.ofMillis(500);
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--manifests", paramLabel = "DIR", description = "Standalone: a directory of Kubernetes manifests, watched.")
    Path manifests;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubernetes mode: the cluster of this kubeconfig's current context.")
    Path kubeconfig;

    @Option(names = "--in-cluster", description = "Kubernetes mode: the cluster this pod runs in (service account).")
    boolean inCluster;

    private KubernetesClient client;

    boolean standalone() {
        return manifests != null;
    }

    SnapshotSource open() throws IOException {
        if (manifests != null) {
            return new ManifestDirectorySource(manifests, QUIET, MAX_DELAY);
        }
        return new KubernetesSource(client(), QUIET, MAX_DELAY, SYNC_TIMEOUT);
    }

    /** The client for Kubernetes mode, made once: the source and the status writer share it. */
    KubernetesClient client() throws IOException {
        if (client != null) {
            return client;
        }
        Config config;
        if (kubeconfig != null) {
            if (!Files.isReadable(kubeconfig)) {
                throw new IllegalArgumentException("--kubeconfig " + kubeconfig + ": cannot be read (expected: a kubeconfig file)");
            }
            config = Config.fromKubeconfig(Files.readString(kubeconfig));
        } else {
            if (System.getenv("KUBERNETES_SERVICE_HOST") == null) {
                throw new IllegalArgumentException("--in-cluster: KUBERNETES_SERVICE_HOST is not set (expected: running in a pod)");
            }
            config = Config.autoConfigure(null);
        }
        client = new KubernetesClientBuilder().withConfig(config).build();
        return client;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
