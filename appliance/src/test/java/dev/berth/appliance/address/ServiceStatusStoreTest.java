package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.crd.IPAddressPool;
import dev.berth.appliance.crd.IPAddressPoolSpec;
import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubernetes mode's record of allocations, against the CRUD mock API server. */
@EnableKubernetesMockClient(crud = true)
class ServiceStatusStoreTest {
    KubernetesClient client;

    private static IPAddressPool pool() {
        IPAddressPool pool = new IPAddressPool();
        pool.getMetadata().setName("lan");
        pool.getMetadata().setNamespace("berth-system");
        pool.setSpec(new IPAddressPoolSpec(List.of("192.0.2.0/24", "198.51.100.0/24"), null, null, null));
        return pool;
    }

    private static Service loadBalancer(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec().build();
    }

    /** What an informer would show: the Services as the API server has them now. */
    private Snapshot snapshot() {
        return Snapshot.of(Map.of(Kind.SERVICE, client.services().inAnyNamespace().list().getItems(), Kind.IP_ADDRESS_POOL, List.of(pool())));
    }

    private Map<String, String> statusIps() {
        Map<String, String> ips = new HashMap<>();
        for (Service service : client.services().inNamespace("shop").list().getItems()) {
            var ingress = service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                    ? null : service.getStatus().getLoadBalancer().getIngress();
            ips.put(service.getMetadata().getName(), ingress == null || ingress.isEmpty() ? null : ingress.getFirst().getIp());
        }
        return ips;
    }

    @Test
    void allocationsAreWrittenToStatusAndSurviveARestartOfAHundredServices() {
        for (int i = 0; i < 100; i++) {
            client.resource(loadBalancer("svc-" + String.format("%03d", i))).create();
        }
        new AddressPlane(new ServiceStatusStore(client), AddressPlane.defaultClasses()).reconcile(snapshot());
        Map<String, String> before = statusIps();
        assertThat(before).hasSize(100).doesNotContainValue(null);
        assertThat(before.values()).doesNotHaveDuplicates();
        assertThat(client.services().inNamespace("shop").withName("svc-000").get().getMetadata().getAnnotations())
                .containsEntry(Annotations.ALLOCATED_FROM_POOL, "lan");

        // A restart: new process, state read back from the Services; a newcomer that sorts first must not take an IP.
        client.resource(loadBalancer("aaa-newcomer")).create();
        AddressView view = new AddressPlane(new ServiceStatusStore(client), AddressPlane.defaultClasses()).reconcile(snapshot());
        Map<String, String> after = statusIps();
        before.forEach((name, ip) -> assertThat(after.get(name)).as(name).isEqualTo(ip));
        assertThat(after.get("aaa-newcomer")).isNotNull().isNotIn(before.values());
        assertThat(view.services()).hasSize(101);
    }

    @Test
    void aConflictingRecordedStatusIsReportedNotOverwritten() {
        for (String name : List.of("a", "b")) {
            client.resource(loadBalancer(name)).create();
            client.services().inNamespace("shop").withName(name).editStatus(service -> {
                service.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                        .addNewIngress().withIp("192.0.2.7").endIngress().endLoadBalancer().build());
                return service;
            });
        }
        AddressView view = new AddressPlane(new ServiceStatusStore(client), AddressPlane.defaultClasses()).reconcile(snapshot());
        assertThat(statusIps()).containsEntry("a", "192.0.2.7").containsEntry("b", "192.0.2.7");
        ServiceAddress loser = view.services().stream().filter(service -> service.ips().isEmpty()).findFirst().orElseThrow();
        assertThat(loser.problems()).singleElement().asString().startsWith("recorded [192.0.2.7] not restored");
    }

    @Test
    void aDeletedServiceFreesItsAddressForTheNextOne() {
        client.resource(loadBalancer("a")).create();
        AddressPlane plane = new AddressPlane(new ServiceStatusStore(client), AddressPlane.defaultClasses());
        plane.reconcile(snapshot());
        String first = statusIps().get("a");
        client.services().inNamespace("shop").withName("a").delete();
        plane.reconcile(snapshot());
        client.resource(loadBalancer("b")).create();
        plane.reconcile(snapshot());
        assertThat(statusIps().get("b")).isEqualTo(first);
    }
}
