package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.appliance.Manifests;
import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import dev.berth.l2.membership.Messaging;
import dev.berth.l2.replication.AllocationTable;
import dev.berth.l2.replication.TableCodec;
import dev.berth.l2.replication.TableReplication;
import dev.berth.l2.replication.TableVersion;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's address plane over the replicated store, when the other half of a healed partition reports a
 * table that gave this half's address to another Service: the plane waits for the report, keeps the address with
 * one Service, allocates the other a new one, shows why on that Service, and keeps the merged table in its state file.
 */
class ReplicatedStoreTest {
    private static final String MANIFESTS = """
            apiVersion: berth.dev/v1alpha1
            kind: IPAddressPool
            metadata: {name: lan, namespace: berth-system}
            spec: {addresses: [192.0.2.10-192.0.2.20]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: alpha, namespace: shop}
            spec: {type: LoadBalancer, ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: beta, namespace: shop}
            spec: {type: LoadBalancer, ports: [{port: 80}]}
            """;

    @TempDir
    Path state;

    @TempDir
    Path scratch;

    /** Two members, node-a first (the coordinator); the test plays the one this node is not. */
    private static final class TwoMembers implements Messaging {
        final List<BiConsumer<String, byte[]>> receivers = new CopyOnWriteArrayList<>();
        final List<byte[]> sentToAll = new CopyOnWriteArrayList<>();

        @Override
        public void onView(Consumer<List<String>> listener) {
            listener.accept(List.of("node-a", "node-b"));
        }

        void receive(String sender, TableCodec.Kind kind, AllocationTable table) {
            receivers.forEach(receiver -> receiver.accept(sender, TableCodec.encode(kind, table)));
        }

        @Override
        public void onMessage(BiConsumer<String, byte[]> listener) {
            receivers.add(listener);
        }

        @Override
        public void sendToAll(byte[] payload) {
            sentToAll.add(payload);
        }

        @Override
        public void sendTo(String node, byte[] payload) {
        }
    }

    private static Allocation allocation(String service, String ip) {
        return new Allocation(ServiceKey.parse(service), "lan", List.of(InetAddress.ofLiteral(ip)));
    }

    @Test
    void anAddressBothHalvesGaveAwayStaysWithOneServiceAndTheOtherGetsANewOneWithAProblemSayingWhy() {
        StateFileStore file = StateFileStore.open(state);
        file.keep(new AllocationTable(new TableVersion(Map.of("node-a", 1L)), List.of(allocation("shop/alpha", "192.0.2.10"))));
        TwoMembers group = new TwoMembers();
        AtomicReference<AddressPlane> plane = new AtomicReference<>();
        TableReplication replication = new TableReplication("node-a", group, file, () -> Optional.ofNullable(plane.get()).ifPresent(AddressPlane::reloadRecord),
                Duration.ofMinutes(5)); // the report below comes when the test sends it, however slow the machine
        plane.set(new AddressPlane(new ReplicatedStore(replication, file), AddressPlane.defaultClasses(), replication::mayAllocate,
                AddressEvents.NONE));
        try (AddressPlane addresses = plane.get()) {
            AddressView waiting = addresses.reconcile(Manifests.snapshot(scratch, MANIFESTS));
            assertThat(waiting.services()).extracting(ServiceAddress::ips).containsExactly(List.of("192.0.2.10"), List.of());
            assertThat(file.table().allocations()).hasSize(1);

            AllocationTable otherHalf = new AllocationTable(new TableVersion(Map.of("node-b", 1L)), List.of(allocation("shop/beta", "192.0.2.10")));
            group.receive("node-b", TableCodec.Kind.REPORT, otherHalf);

            await().atMost(Duration.ofSeconds(10)).until(() -> file.table().allocations().size() == 2);
            AddressView merged = addresses.view();
            ServiceAddress alpha = merged.services().get(0);
            ServiceAddress beta = merged.services().get(1);
            assertThat(alpha.ips()).containsExactly("192.0.2.10");
            assertThat(alpha.problems()).isEmpty();
            assertThat(beta.ips()).containsExactly("192.0.2.11");
            assertThat(beta.problems()).containsExactly("after a partition: 192.0.2.10 is held by shop/alpha, which each half"
                    + " gave away on its own; shop/beta lets go of [192.0.2.10] and gets a new address");
            assertThat(file.table().allocations()).containsExactly(allocation("shop/alpha", "192.0.2.10"), allocation("shop/beta", "192.0.2.11"));
            assertThat(file.table().version().covers(otherHalf.version())).isTrue();
            TableCodec.Message last = TableCodec.decode(group.sentToAll.getLast());
            assertThat(last.table()).as("what the members are sent").isEqualTo(file.table());
        }
    }

    /**
     * A follower reconciles a generation before the coordinator's table for it arrives (both read the same manifests):
     * the table, not the next generation, is what gives it the IPs, so what follows the IPs (announcing, TCP listeners)
     * is told once, when the view changes, and not for a table that changes nothing.
     */
    @Test
    void aFollowerThatReceivesTheCoordinatorsTableAfterItsGenerationTellsWhatFollowsTheAddresses() {
        StateFileStore file = StateFileStore.open(state);
        TwoMembers group = new TwoMembers();
        AtomicReference<AddressPlane> plane = new AtomicReference<>();
        TableReplication replication = new TableReplication("node-b", group, file,
                () -> Optional.ofNullable(plane.get()).ifPresent(AddressPlane::reloadRecord));
        plane.set(new AddressPlane(new ReplicatedStore(replication, file), AddressPlane.defaultClasses(), replication::mayAllocate,
                AddressEvents.NONE));
        List<AddressView> told = new CopyOnWriteArrayList<>();
        try (AddressPlane addresses = plane.get()) {
            addresses.onRecordChanged(() -> told.add(addresses.view()));
            AddressView before = addresses.reconcile(Manifests.snapshot(scratch, MANIFESTS));
            assertThat(before.services()).extracting(ServiceAddress::ips).containsExactly(List.of(), List.of());

            AllocationTable coordinators = new AllocationTable(new TableVersion(Map.of("node-a", 1L)),
                    List.of(allocation("shop/alpha", "192.0.2.10"), allocation("shop/beta", "192.0.2.11")));
            group.receive("node-a", TableCodec.Kind.TABLE, coordinators);

            await().atMost(Duration.ofSeconds(10)).until(() -> !told.isEmpty());
            assertThat(told.getFirst().services()).extracting(ServiceAddress::ips)
                    .containsExactly(List.of("192.0.2.10"), List.of("192.0.2.11"));

            group.receive("node-a", TableCodec.Kind.TABLE, coordinators); // the same table again: nothing to follow
            addresses.reloadRecord();
            assertThat(told).hasSize(1);
        }
    }
}
