package dev.berth.l2.replication;

import static dev.berth.l2.replication.TableMergeTest.allocation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.membership.JGroupsMembership;
import dev.berth.l2.membership.MembershipSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real JGroups channels in this JVM on loopback (static peers), each member with its own store: the coordinator's
 * tables reach every member, a new coordinator continues from its copy after the old one leaves, a late joiner
 * receives the table, and two groups that allocated apart (discovery found nobody: a partition) merge their tables.
 */
class TableReplicationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private record Node(JGroupsMembership membership, TableReplication replication, MemoryTableStore store) {}

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    /** Released on every onChange of any member: the test re-checks its condition then. */
    private final Semaphore changes = new Semaphore(0);

    @AfterEach
    void closeAll() {
        nodes.values().forEach(node -> {
            node.replication().close();
            node.membership().close();
        });
    }

    @Test
    void membersKeepTheCoordinatorsTableAndANewCoordinatorContinuesFromIt() throws Exception {
        List<Integer> ports = freePorts(4);
        List<String> peers = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        Node a = start("node-a", ports.get(0), peers);
        await("node-a allocates", () -> a.replication().mayAllocate());
        Node b = start("node-b", ports.get(1), peers);
        Node c = start("node-c", ports.get(2), peers);
        await("three members", () -> a.membership().members().size() == 3 && a.replication().mayAllocate());

        List<Allocation> first = List.of(allocation("shop/web", "192.0.2.10"), allocation("shop/api", "192.0.2.11", "2001:db8::11"));
        a.replication().publish(first);
        await("b and c hold a's table", () -> b.store().table().equals(a.replication().table())
                && c.store().table().equals(a.replication().table()));
        assertThat(b.replication().mayAllocate()).isFalse();

        AllocationTable before = a.replication().table();
        long leftAt = System.nanoTime();
        a.replication().close();
        a.membership().close();
        nodes.remove("node-a");
        await("b allocates", () -> b.replication().mayAllocate());
        System.out.printf("a new coordinator allocated %d ms after the old one left%n",
                Duration.ofNanos(System.nanoTime() - leftAt).toMillis());
        assertThat(b.replication().table()).isEqualTo(before);
        List<Allocation> second = new ArrayList<>(first);
        second.add(allocation("shop/new", "192.0.2.12"));
        b.replication().publish(second);
        await("c holds b's table", () -> c.store().table().equals(b.replication().table()));
        assertThat(c.store().table().allocations()).containsAll(first);
        assertThat(c.store().table().version().covers(before.version())).isTrue();

        Node d = start("node-d", ports.get(3), peers);
        await("the late joiner holds the table", () -> d.store().table().equals(b.replication().table()));
        assertThat(d.replication().mayAllocate()).isFalse();
    }

    @Test
    void twoGroupsThatAllocatedApartMergeIntoOneTableWithOneHolderPerAddress() throws Exception {
        List<Integer> ports = freePorts(2);
        // Discovery that lists nobody at first: two lone groups, as after a partition, until the list names both.
        AtomicReference<List<InetSocketAddress>> listed = new AtomicReference<>(List.of());
        Node a = start("node-a", ports.get(0), listed);
        Node b = start("node-b", ports.get(1), listed);
        await("both allocate alone", () -> a.replication().mayAllocate() && b.replication().mayAllocate());
        a.replication().publish(List.of(allocation("shop/alpha", "192.0.2.10"), allocation("shop/web", "192.0.2.12")));
        b.replication().publish(List.of(allocation("shop/beta", "192.0.2.10"), allocation("shop/gamma", "192.0.2.11"),
                allocation("shop/web", "192.0.2.12")));

        long listedAt = System.nanoTime();
        listed.set(ports.stream().map(port -> new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port)).toList());
        await("one table", () -> a.membership().members().size() == 2 && b.membership().members().size() == 2
                && a.store().table().equals(b.store().table()) && a.store().table().allocations().size() == 3);
        System.out.printf("two groups merged their tables %d ms after discovery listed both%n",
                Duration.ofNanos(System.nanoTime() - listedAt).toMillis());
        assertThat(a.store().table().allocations()).containsExactly(allocation("shop/alpha", "192.0.2.10"),
                allocation("shop/gamma", "192.0.2.11"), allocation("shop/web", "192.0.2.12"));
        // Whichever node JGroups made the merged group's coordinator merged the tables and reported the conflict.
        List<TableMerge.Conflict> reported = new ArrayList<>(a.replication().conflicts());
        reported.addAll(b.replication().conflicts());
        assertThat(reported).extracting(TableMerge.Conflict::service).containsExactly(dev.berth.l2.allocator.ServiceKey.parse("shop/beta"));
    }

    private Node start(String name, int port, AtomicReference<List<InetSocketAddress>> listed) throws IOException {
        JGroupsMembership membership = JGroupsMembership.start(
                MembershipSettings.of(name, "127.0.0.1", port, List.of(), "berth-replication-merge"), listed::get);
        MemoryTableStore store = new MemoryTableStore(AllocationTable.EMPTY);
        Node node = new Node(membership, new TableReplication(name, membership, store, changes::release), store);
        nodes.put(name, node);
        return node;
    }

    private Node start(String name, int port, List<String> peers) throws IOException {
        JGroupsMembership membership = JGroupsMembership.start(MembershipSettings.of(name, "127.0.0.1", port, peers, "berth-replication-test"));
        MemoryTableStore store = new MemoryTableStore(AllocationTable.EMPTY);
        Node node = new Node(membership, new TableReplication(name, membership, store, changes::release), store);
        nodes.put(name, node);
        return node;
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            // Every table kept and every role change calls onChange; a change may also land just before we look.
            changes.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
        }
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
