package dev.berth.l2.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real JGroups channels in this JVM, on loopback only (static peers, no multicast): they form one view, see a
 * member leave, and refuse bad settings with a message that names the field.
 */
class JGroupsMembershipTest {

    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final List<Membership> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(Membership::close);
    }

    @Test
    void threeNodesFormOneViewAndSeeAMemberLeave() throws Exception {
        List<Integer> ports = freePorts(3);
        List<String> peers = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        List<String> names = List.of("node-a", "node-b", "node-c");
        List<BlockingQueue<Set<String>>> views = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Membership membership = start(names.get(i), ports.get(i), peers);
            BlockingQueue<Set<String>> queue = new LinkedBlockingQueue<>();
            membership.onChange(queue::add);
            views.add(queue);
        }
        for (int i = 0; i < 3; i++) {
            awaitView(views.get(i), Set.copyOf(names));
            assertThat(started.get(i).members()).isEqualTo(Set.copyOf(names));
            assertThat(started.get(i).self()).isEqualTo(names.get(i));
        }

        long leftAt = System.nanoTime();
        started.get(2).close();
        for (int i = 0; i < 2; i++) {
            awaitView(views.get(i), Set.of("node-a", "node-b"));
        }
        System.out.printf("a graceful leave reached both survivors in %d ms%n",
                Duration.ofNanos(System.nanoTime() - leftAt).toMillis());
    }

    @Test
    void changingPeersAreAskedForAgainSoTwoLoneNodesMergeOnceTheyAreListed() throws Exception {
        List<Integer> ports = freePorts(2);
        AtomicReference<List<InetSocketAddress>> listed = new AtomicReference<>(List.of());
        List<BlockingQueue<Set<String>>> views = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Membership membership = JGroupsMembership.start(
                    MembershipSettings.of("node-" + i, "127.0.0.1", ports.get(i), List.of(), "berth-test-changing"), listed::get);
            started.add(membership);
            BlockingQueue<Set<String>> queue = new LinkedBlockingQueue<>();
            membership.onChange(queue::add);
            views.add(queue);
        }
        awaitView(views.get(0), Set.of("node-0"));
        awaitView(views.get(1), Set.of("node-1"));

        long listedAt = System.nanoTime();
        listed.set(ports.stream().map(port -> new InetSocketAddress(LOOPBACK, port)).toList());
        awaitView(views.get(0), Set.of("node-0", "node-1"));
        awaitView(views.get(1), Set.of("node-0", "node-1"));
        System.out.printf("two lone nodes merged %d ms after the list named both%n",
                Duration.ofNanos(System.nanoTime() - listedAt).toMillis());
    }

    @Test
    void aListenerRegisteredLateGetsTheCurrentViewAtOnce() throws Exception {
        int port = freePorts(1).getFirst();
        // Itself as its only peer: tests in the root namespace never use multicast discovery.
        Membership alone = start("solo", port, List.of("127.0.0.1:" + port));
        BlockingQueue<Set<String>> views = new LinkedBlockingQueue<>();
        alone.onChange(views::add);
        assertThat(views.poll(5, TimeUnit.SECONDS)).isEqualTo(Set.of("solo"));
    }

    @Test
    void aBindAddressOfAnotherHostIsRefusedNamingTheField() {
        MembershipSettings settings = MembershipSettings.of("node-a", "192.0.2.250", 7800, List.of("127.0.0.1"), "berth");
        assertThatThrownBy(() -> JGroupsMembership.start(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bindAddress: 192.0.2.250 (expected: an address of one of this host's interfaces)");
    }

    @Test
    void aPeerOfTheOtherFamilyIsRefusedNamingTheField() {
        MembershipSettings settings = MembershipSettings.of("node-a", "127.0.0.1", 7800, List.of("[::1]:7801"), "berth");
        assertThatThrownBy(() -> JGroupsMembership.start(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("peers: '[::1]:7801' (expected: an IPv4 address, the family of bindAddress 127.0.0.1)");
    }

    @Test
    void aTakenPortFailsWithTheAddressInTheMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            MembershipSettings settings = new MembershipSettings("node-a", LOOPBACK, taken.getLocalPort(),
                    List.of(new Peer("127.0.0.1", taken.getLocalPort())), "berth");
            assertThatThrownBy(() -> JGroupsMembership.start(settings))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("membership: cannot join cluster 'berth' on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .satisfies(e -> System.out.println("taken port: " + e.getMessage()));
        }
    }

    private Membership start(String node, int port, List<String> peers) throws IOException {
        Membership membership = JGroupsMembership.start(MembershipSettings.of(node, "127.0.0.1", port, peers, "berth-test"));
        started.add(membership);
        return membership;
    }

    /** Views arrive in order; skips intermediate ones until {@code expected}, failing at the deadline. */
    private static void awaitView(BlockingQueue<Set<String>> views, Set<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<Set<String>> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Set<String> view = views.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (view == null) {
                break;
            }
            seen.add(view);
            if (view.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("no view " + expected + " within " + DEADLINE + "; saw " + seen);
    }

    /**
     * Ports the kernel just handed out, so tests running side by side do not collide. The failure detector listens
     * 100 above each and moves up to 5 further if that one is taken.
     */
    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, LOOPBACK));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
