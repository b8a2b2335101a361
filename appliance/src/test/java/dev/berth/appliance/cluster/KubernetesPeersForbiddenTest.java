package dev.berth.appliance.cluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without the RBAC for pods, the start fails with one line that says what is missing, not a stack trace. */
@EnableKubernetesMockClient
class KubernetesPeersForbiddenTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void aForbiddenPodListSaysWhichPermissionIsMissing() {
        server.expect().get().withPath("/api/v1/namespaces/berth-system/pods?labelSelector=app.kubernetes.io%2Fname%3Dberth&resourceVersion=0")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("pods is forbidden: User \"system:serviceaccount:berth-system:berth\" cannot list resource \"pods\"")
                        .build())
                .always();
        server.expect().get().withPath("/api/v1/namespaces/berth-system/pods?labelSelector=app.kubernetes.io%2Fname%3Dberth")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("pods is forbidden: User \"system:serviceaccount:berth-system:berth\" cannot list resource \"pods\"")
                        .build())
                .always();
        assertThatThrownBy(() -> KubernetesPeers.start(client, "berth-system", Map.of("app.kubernetes.io/name", "berth"), 7800,
                InetAddress.ofLiteral("192.0.2.11")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--peer-selector: cannot watch the pods of namespace berth-system (pods is forbidden: User"
                        + " \"system:serviceaccount:berth-system:berth\" cannot list resource \"pods\"; expected: pods get/list/watch"
                        + " there for Berth's service account, deploy/rbac.yaml)");
    }
}
