package dev.berth.appliance.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Discovery from the CRUD mock API server: the DaemonSet's pods in Berth's namespace, their IPs of the bind family on
 * the cluster port, following pods that appear, change IP and go.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPeersTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    KubernetesClient client;

    private void pod(String namespace, String name, String app, String phase, String... ips) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/name", app).endMetadata()
                .withNewSpec().addNewContainer().withName("berth").withImage("berth").endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus();
        if (ips.length > 0) {
            pod.editStatus().withPodIP(ips[0]).endStatus();
            for (String ip : ips) {
                pod.editStatus().addNewPodIP().withIp(ip).endPodIP().endStatus();
            }
        }
        client.resource(pod.build()).createOr(existing -> existing.update());
    }

    private static InetSocketAddress peer(String ip) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), 7800);
    }

    @Test
    void theDaemonSetsLivePodsOfTheBindFamilyArePeers() {
        pod("berth-system", "berth-a", "berth", "Running", "192.0.2.11", "2001:db8::11");
        pod("berth-system", "berth-b", "berth", "Running", "192.0.2.12");
        pod("berth-system", "berth-pending", "berth", "Pending");
        pod("berth-system", "berth-done", "berth", "Failed", "192.0.2.99");
        pod("berth-system", "other-app", "nginx", "Running", "192.0.2.50");
        pod("default", "berth-elsewhere", "berth", "Running", "192.0.2.60");

        try (KubernetesPeers ipv4 = KubernetesPeers.start(client, "berth-system", Map.of("app.kubernetes.io/name", "berth"), 7800,
                InetAddress.ofLiteral("192.0.2.11"));
                KubernetesPeers ipv6 = KubernetesPeers.start(client, "berth-system", Map.of("app.kubernetes.io/name", "berth"), 7800,
                        InetAddress.ofLiteral("2001:db8::11"))) {
            assertThat(ipv4.get()).containsExactly(peer("192.0.2.11"), peer("192.0.2.12"));
            assertThat(ipv6.get()).containsExactly(peer("2001:db8::11"));

            pod("berth-system", "berth-c", "berth", "Running", "192.0.2.13");
            await().atMost(DEADLINE).until(() -> ipv4.get().contains(peer("192.0.2.13")));
            pod("berth-system", "berth-pending", "berth", "Running", "192.0.2.14");
            await().atMost(DEADLINE).until(() -> ipv4.get().contains(peer("192.0.2.14")));
            client.pods().inNamespace("berth-system").withName("berth-b").delete();
            await().atMost(DEADLINE).until(() -> ipv4.get().equals(List.of(peer("192.0.2.11"), peer("192.0.2.13"), peer("192.0.2.14"))));
            // Last, a change both watches see, awaited in both: no watch closes while the mock server is still sending
            // to it (fabric8 8.0.0's mock deadlocks its event loop then, and fails its own shutdown).
            pod("berth-system", "berth-d", "berth", "Running", "192.0.2.15", "2001:db8::15");
            await().atMost(DEADLINE).until(() -> ipv4.get().contains(peer("192.0.2.15")) && ipv6.get().contains(peer("2001:db8::15")));
        }
    }

    @Test
    void aSelectorIsKeyValuePairs() {
        assertThat(KubernetesPeers.parseSelector("app.kubernetes.io/name=berth,tier=lb"))
                .containsExactly(Map.entry("app.kubernetes.io/name", "berth"), Map.entry("tier", "lb"));
        assertThatThrownBy(() -> KubernetesPeers.parseSelector("app.kubernetes.io/name"))
                .hasMessage("--peer-selector app.kubernetes.io/name: 'app.kubernetes.io/name' (expected: KEY=VALUE[,KEY=VALUE],"
                        + " e.g. app.kubernetes.io/name=berth)");
    }
}
