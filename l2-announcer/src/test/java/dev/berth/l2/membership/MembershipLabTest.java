package dev.berth.l2.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.l2.lab.ChildJvm;
import dev.berth.l2.lab.NetnsLab;
import dev.berth.l2.lab.NetnsLab.Member;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Membership between two real processes on the lab LAN: each node namespace runs a {@link MembershipChild}, and the
 * test SIGKILLs one or cuts its cable on the bridge, then reads from the survivor's printed views how long it took to
 * drop it. The times are printed; the asserted bounds are generous on purpose (a shared 2-core machine), the
 * measured numbers go to the report. Nothing but {@code ip} runs in the root namespace.
 */
class MembershipLabTest {

    private static final Duration JOIN_DEADLINE = Duration.ofSeconds(60);
    private static final Duration DETECTION_DEADLINE = Duration.ofSeconds(15);
    private static final Duration MERGE_DEADLINE = Duration.ofSeconds(30);
    private static final int RUNS = 3;

    @BeforeAll
    static void needsTheLab() {
        assumeTrue(NetnsLab.available(), "needs root and `ip netns` (iproute2)");
    }

    @Test
    void staticPeersOverIpv4DropAKilledNodeInUnderTwoSecondsAndACutOneInUnderThree() throws Exception {
        try (NetnsLab lab = NetnsLab.create(2)) {
            List<Double> killed = new ArrayList<>();
            List<Double> cut = new ArrayList<>();
            List<Double> merged = new ArrayList<>();
            int port = 7800;
            for (int run = 0; run < RUNS; run++) {
                killed.add(kill(start(lab, port++, Member::ipv4, true)));
            }
            for (int run = 0; run < RUNS; run++) {
                double[] cutAndMerge = cutAndHeal(lab, start(lab, port++, Member::ipv4, true));
                cut.add(cutAndMerge[0]);
                merged.add(cutAndMerge[1]);
            }
            System.out.printf("IPv4, static peers: kill -9 → survivor's view %s ms; link cut → %s ms;"
                    + " link back → merged view %s ms%n", killed, cut, merged);
            assertThat(killed).allSatisfy(ms -> assertThat(ms).isLessThan(2_000));
            assertThat(cut).allSatisfy(ms -> assertThat(ms).isLessThan(3_000));
        }
    }

    @Test
    void multicastDiscoveryFindsThePeerOnTheBridgeAndDropsItWhenKilled() throws Exception {
        try (NetnsLab lab = NetnsLab.create(2)) {
            double killed = kill(start(lab, 7800, Member::ipv4, false));
            double[] cutAndMerge = cutAndHeal(lab, start(lab, 7801, Member::ipv4, false));
            System.out.printf("IPv4, multicast discovery: kill -9 → %.1f ms; link cut → %.1f ms; merged %.1f ms%n",
                    killed, cutAndMerge[0], cutAndMerge[1]);
            assertThat(killed).isLessThan(2_000);
            assertThat(cutAndMerge[0]).isLessThan(3_000);
        }
    }

    @Test
    void staticPeersOverIpv6DropAKilledNode() throws Exception {
        try (NetnsLab lab = NetnsLab.create(2)) {
            double killed = kill(start(lab, 7800, Member::ipv6, true));
            System.out.printf("IPv6, static peers: kill -9 → %.1f ms%n", killed);
            assertThat(killed).isLessThan(2_000);
        }
    }

    /** Two nodes that have agreed on a view of both; {@code second} is the one the test fails. */
    private record Pair(ChildJvm first, ChildJvm second, Member secondNode) {}

    private static Pair start(NetnsLab lab, int port, Function<Member, String> address, boolean staticPeers)
            throws IOException, InterruptedException {
        Member node1 = lab.nodes().get(0);
        Member node2 = lab.nodes().get(1);
        ChildJvm first = startChild(lab, "node1", node1, port, staticPeers ? peer(address.apply(node2), port) : "-", address);
        ChildJvm second = startChild(lab, "node2", node2, port, staticPeers ? peer(address.apply(node1), port) : "-", address);
        awaitView(first, Set.of("node1", "node2"), JOIN_DEADLINE);
        awaitView(second, Set.of("node1", "node2"), JOIN_DEADLINE);
        return new Pair(first, second, node2);
    }

    private static ChildJvm startChild(NetnsLab lab, String name, Member node, int port, String peers,
            Function<Member, String> address) throws IOException {
        // A cluster name per run: a slow leftover from the previous run can never join this one.
        return lab.startJava(node.namespace(), MembershipChild.class,
                name, address.apply(node), String.valueOf(port), "berth-lab-" + port, peers);
    }

    /** SIGKILL the second node; ms until the first one's view lacks it. */
    private static double kill(Pair pair) throws IOException, InterruptedException {
        try (ChildJvm first = pair.first(); ChildJvm second = pair.second()) {
            long killedAt = nowMicros();
            // `ip netns exec` execs java in place, so this is the JVM's own pid: a real SIGKILL, no cleanup.
            second.process().destroyForcibly();
            return (awaitView(first, Set.of("node1"), DETECTION_DEADLINE) - killedAt) / 1_000.0;
        }
    }

    /** Cut the second node's cable on the bridge, then plug it back: ms to drop it, ms to merge again. */
    private static double[] cutAndHeal(NetnsLab lab, Pair pair) throws IOException, InterruptedException {
        try (ChildJvm first = pair.first(); ChildJvm second = pair.second()) {
            long cutAt = nowMicros();
            lab.setLink(pair.secondNode(), false);
            double dropped = (awaitView(first, Set.of("node1"), DETECTION_DEADLINE) - cutAt) / 1_000.0;
            awaitView(second, Set.of("node2"), DETECTION_DEADLINE);
            long healedAt = nowMicros();
            lab.setLink(pair.secondNode(), true);
            double merged = (awaitView(first, Set.of("node1", "node2"), MERGE_DEADLINE) - healedAt) / 1_000.0;
            awaitView(second, Set.of("node1", "node2"), MERGE_DEADLINE);
            return new double[] {dropped, merged};
        }
    }

    /** Reads the child's views in order until one is exactly {@code expected}; returns the child's timestamp of it. */
    private static long awaitView(ChildJvm child, Set<String> expected, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("no view " + expected + " within " + timeout + "; saw " + seen
                        + "\nchild stderr:\n" + child.stderr());
            }
            String[] line = child.expect("view ", left).split(" ");
            Set<String> view = line.length > 2 ? new TreeSet<>(Arrays.asList(line[2].split(","))) : Set.of();
            seen.add(String.join(" ", line));
            if (view.equals(expected)) {
                return Long.parseLong(line[1]);
            }
        }
    }

    private static String peer(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
