package dev.berth.l2.replication;

import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import dev.berth.l2.membership.JGroupsMembership;
import dev.berth.l2.membership.MembershipSettings;
import dev.berth.l2.pool.IpText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A member of the replication group as a lab test runs it, in a node namespace: {@link JGroupsMembership} bound to the
 * node's LAN address, {@link TableReplication} over a table in memory.
 *
 * <p>Arguments: node name, bind address, port, cluster, peers ({@code HOST[:PORT],…}). Input lines:
 * {@code publish NAME=IP,…} (Services in namespace {@code lab}, pool {@code lan}), recorded if this node allocates now.
 * Output, on every change of table or role: {@code table MICROS ALLOCATES NAME=IP,…} with the wall clock in
 * microseconds, {@code true}/{@code false}, and the table's allocations in name order ({@code -} for none).
 */
public final class ReplicationChild {

    private ReplicationChild() {}

    public static void main(String[] args) throws IOException {
        JGroupsMembership membership = JGroupsMembership.start(MembershipSettings.of(args[0], args[1], Integer.parseInt(args[2]),
                Arrays.asList(args[4].split(",")), args[3]));
        MemoryTableStore store = new MemoryTableStore(AllocationTable.EMPTY);
        TableReplication[] replication = new TableReplication[1];
        replication[0] = new TableReplication(args[0], membership, store, () -> {
            if (replication[0] != null) {
                print(replication[0]);
            }
        });
        try (membership; TableReplication running = replication[0]) {
            print(running);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("publish ")) {
                    List<Allocation> allocations = new ArrayList<>();
                    for (String entry : line.substring("publish ".length()).split(",")) {
                        String[] nameAndIp = entry.split("=");
                        allocations.add(new Allocation(new ServiceKey("lab", nameAndIp[0]), "lan", List.of(InetAddress.ofLiteral(nameAndIp[1]))));
                    }
                    running.publish(allocations);
                    print(running);
                }
            }
        }
    }

    private static void print(TableReplication replication) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        String allocations = replication.table().allocations().stream()
                .map(allocation -> allocation.service().name() + "=" + IpText.of(allocation.ips().getFirst()))
                .collect(Collectors.joining(","));
        // One println per line, so that lines from two threads never interleave.
        System.out.println("table " + micros + " " + replication.mayAllocate() + " " + (allocations.isEmpty() ? "-" : allocations));
    }
}
