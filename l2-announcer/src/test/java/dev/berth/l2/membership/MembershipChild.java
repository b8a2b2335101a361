package dev.berth.l2.membership;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link JGroupsMembership} as a lab test runs it: started by {@link dev.berth.l2.lab.NetnsLab#startJava} inside a
 * node namespace, bound to that node's LAN address, so that its traffic stays on the lab's bridge.
 *
 * <p>Arguments: node name, bind address, port, cluster, peers ({@code HOST[:PORT],…}, or {@code -} for multicast
 * discovery). Prints, one line each: {@code view MICROS NAME,NAME…} for the first view and every later one, where
 * MICROS is the wall clock in microseconds since the epoch when the view reached the listener (the namespaces share
 * the test's clock, so the test can subtract the moment it acted); {@code error MESSAGE} and exit 2 if it cannot
 * join. Leaves the group and exits on end of input.
 */
public final class MembershipChild {

    private MembershipChild() {}

    public static void main(String[] args) throws IOException {
        List<String> peers = args[4].equals("-") ? List.of() : Arrays.asList(args[4].split(","));
        Membership membership;
        try {
            membership = JGroupsMembership.start(
                    MembershipSettings.of(args[0], args[1], Integer.parseInt(args[2]), peers, args[3]));
        } catch (IOException | IllegalArgumentException e) {
            System.out.println("error " + e.getMessage());
            System.exit(2);
            return;
        }
        try (membership) {
            membership.onChange(MembershipChild::print);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // Nothing to ask: the child only reports views; end of input ends it.
            }
        }
    }

    private static void print(Set<String> view) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        // One println per line, so that lines from successive views never interleave.
        System.out.println("view " + micros + " " + String.join(",", new TreeSet<>(view)));
    }
}
