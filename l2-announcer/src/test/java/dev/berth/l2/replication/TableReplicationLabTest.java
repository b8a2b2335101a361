package dev.berth.l2.replication;

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
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real partition on the lab LAN: two {@link ReplicationChild} processes in node namespaces, the second one's cable
 * cut on the bridge; each half's coordinator records its own table, giving one address to two different Services;
 * when the cable is back, both members end with one table in which the address has one holder. Nothing but
 * {@code ip} runs in the root namespace.
 */
class TableReplicationLabTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @BeforeAll
    static void needsTheLab() {
        assumeTrue(NetnsLab.available(), "needs root and `ip netns` (iproute2)");
    }

    @Test
    void halvesOfACutLinkAllocateApartAndAgreeOnOneTableWhenItReturns() throws Exception {
        try (NetnsLab lab = NetnsLab.create(2)) {
            Member node1 = lab.nodes().get(0);
            Member node2 = lab.nodes().get(1);
            try (ChildJvm first = start(lab, "node1", node1, node2)) {
                await(first, line -> line.contains(" true "), "node1 allocates, alone");
                try (ChildJvm second = start(lab, "node2", node2, node1)) {
                    first.send("publish web=192.0.2.102");
                    await(second, line -> line.endsWith(" false web=192.0.2.102"), "node2 joined and holds node1's table");

                    lab.setLink(node2, false);
                    await(second, line -> line.contains(" true "), "node2 allocates for its own half");
                    first.send("publish alpha=192.0.2.100,web=192.0.2.102");
                    await(first, line -> line.endsWith(" alpha=192.0.2.100,web=192.0.2.102"), "node1's half recorded");
                    second.send("publish beta=192.0.2.100,gamma=192.0.2.101,web=192.0.2.102");
                    await(second, line -> line.endsWith(" beta=192.0.2.100,gamma=192.0.2.101,web=192.0.2.102"), "node2's half recorded");

                    long healedAt = nowMicros();
                    lab.setLink(node2, true);
                    // As many members on each side: lab/alpha keeps the address, first in name order; lab/beta leaves.
                    String merged = "alpha=192.0.2.100,gamma=192.0.2.101,web=192.0.2.102";
                    long firstAt = await(first, line -> line.endsWith(" " + merged), "node1 holds the merged table");
                    long secondAt = await(second, line -> line.endsWith(" " + merged), "node2 holds the merged table");
                    System.out.printf("after the link returned, both members held one table within %d ms%n",
                            (Math.max(firstAt, secondAt) - healedAt) / 1_000);
                }
            }
        }
    }

    private static ChildJvm start(NetnsLab lab, String name, Member self, Member peer) throws IOException {
        return lab.startJava(self.namespace(), ReplicationChild.class, name, self.ipv4(), "7800", "berth-lab-replication",
                peer.ipv4() + ":7800");
    }

    /** Reads the child's table lines until one matches; returns its timestamp. */
    private static long await(ChildJvm child, Predicate<String> wanted, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = child.expect("table ", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            seen.add(line);
            if (wanted.test(line)) {
                return Long.parseLong(line.split(" ")[1]);
            }
        }
        throw new AssertionError("not within " + DEADLINE + ": " + what + "; saw " + seen + "\nchild stderr:\n" + child.stderr());
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
