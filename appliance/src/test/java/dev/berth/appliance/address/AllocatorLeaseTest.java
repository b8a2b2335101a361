package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.appliance.crd.IPAddressPool;
import dev.berth.appliance.crd.IPAddressPoolSpec;
import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Two allocator replicas against the CRUD mock API server: one allocates at a time, the other takes over. */
@EnableKubernetesMockClient(crud = true)
class AllocatorLeaseTest {
    private static final Duration LEASE = Duration.ofSeconds(2);

    KubernetesClient client;

    private Snapshot snapshot() {
        IPAddressPool pool = new IPAddressPool();
        pool.getMetadata().setName("lan");
        pool.getMetadata().setNamespace("berth-system");
        pool.setSpec(new IPAddressPoolSpec(List.of("192.0.2.0/28"), null, null, null));
        return Snapshot.of(Map.of(Kind.SERVICE, client.services().inAnyNamespace().list().getItems(), Kind.IP_ADDRESS_POOL, List.of(pool)));
    }

    private void createService(String name) {
        client.resource(new ServiceBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec().build()).create();
    }

    private String statusIp(String name) {
        Service service = client.services().inNamespace("shop").withName(name).get();
        var ingress = service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                ? null : service.getStatus().getLoadBalancer().getIngress();
        return ingress == null || ingress.isEmpty() ? null : ingress.getFirst().getIp();
    }

    /** A replica: its plane only allocates while its lease is held, and re-runs when it gains the lease. */
    private record Replica(AllocatorLease lease, AddressPlane plane) {
    }

    private Replica replica(String name) {
        AddressPlane[] plane = new AddressPlane[1];
        AllocatorLease lease = new AllocatorLease(client, "berth-system", name, LEASE, () -> plane[0].reconcileLatest());
        plane[0] = new AddressPlane(new ServiceStatusStore(client), AddressPlane.defaultClasses(), lease,
                new ServiceEvents(client, name, Clock.systemUTC()));
        return new Replica(lease, plane[0]);
    }

    @Test
    void onlyTheLeaseHolderAllocatesAndTheOtherTakesOver() throws Exception {
        createService("first");
        Replica a = replica("node-a");
        Replica b = replica("node-b");
        AtomicBoolean bothLed = new AtomicBoolean();
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (a.lease().getAsBoolean() && b.lease().getAsBoolean()) {
                    bothLed.set(true);
                }
                Thread.onSpinWait();
            }
        });
        try {
            a.lease().start();
            await().atMost(Duration.ofSeconds(10)).until(a.lease()::getAsBoolean);
            b.lease().start();

            b.plane().reconcile(snapshot());
            assertThat(statusIp("first")).as("the standby writes nothing").isNull();
            a.plane().reconcile(snapshot());
            assertThat(statusIp("first")).isEqualTo("192.0.2.0");
            assertThat(client.v1().events().inNamespace("shop").list().getItems()).extracting(Event::getReason).contains("IPAllocated");

            createService("second");
            b.plane().reconcile(snapshot()); // B has seen the newest Snapshot, but may not act on it yet
            assertThat(statusIp("second")).isNull();

            a.lease().close(); // A stops: its lease is released, B takes over and acts on what it last saw
            await().atMost(Duration.ofSeconds(15)).until(() -> statusIp("second") != null);
            assertThat(b.lease().getAsBoolean()).isTrue();
            assertThat(statusIp("first")).as("the first allocation did not move").isEqualTo("192.0.2.0");
            assertThat(statusIp("second")).isEqualTo("192.0.2.1");
            assertThat(bothLed).as("two replicas never held the lease at once").isFalse();
        } finally {
            watcher.interrupt();
            a.lease().close();
            b.lease().close();
        }
    }
}
