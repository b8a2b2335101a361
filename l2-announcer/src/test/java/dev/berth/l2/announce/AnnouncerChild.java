package dev.berth.l2.announce;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The announcer as a lab test runs it: a main class started by {@link dev.berth.l2.lab.NetnsLab#startJava} inside a
 * node namespace, so that its raw sockets open there and never in the root namespace of the test machine.
 *
 * <p>Arguments: interface name, burst count, burst interval in ms, refresh interval in ms. Protocol, one line each:
 * prints {@code ready MAC} once the socket is open (or {@code error MESSAGE} and exits 2); reads
 * {@code announce IP...} (answers {@code announced}), {@code stats} (answers {@code stats ...}); closes the
 * announcer and exits on end of input.
 */
public final class AnnouncerChild {

    private AnnouncerChild() {}

    public static void main(String[] args) throws IOException {
        String interfaceName = args[0];
        AnnouncerSettings settings = new AnnouncerSettings(
                Integer.parseInt(args[1]),
                Duration.ofMillis(Long.parseLong(args[2])),
                Duration.ofMillis(Long.parseLong(args[3])),
                Duration.ofMillis(100));
        Announcer announcer;
        try {
            announcer = Announcer.open(List.of(interfaceName), settings);
        } catch (IOException e) {
            System.out.println("error " + e.getMessage());
            System.exit(2);
            return;
        }
        try (announcer) {
            System.out.println("ready " + announcer.links().getFirst().mac());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.trim().split("\\s+");
                switch (words[0]) {
                    case "announce" -> {
                        Set<InetAddress> addresses = Arrays.stream(words).skip(1)
                                .map(InetAddress::ofLiteral)
                                .collect(Collectors.toSet());
                        announcer.announce(addresses);
                        System.out.println("announced " + addresses.size());
                    }
                    case "stats" -> System.out.println("stats " + announcer.stats());
                    default -> System.out.println("unknown " + line);
                }
            }
        }
    }
}
