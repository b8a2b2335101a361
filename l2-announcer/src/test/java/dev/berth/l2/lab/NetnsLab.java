package dev.berth.l2.lab;

import dev.berth.l2.frame.MacAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A throw-away LAN in network namespaces (DESIGN.md "Test network"): one namespace holding a bridge, N node
 * namespaces and one client namespace, each joined to the bridge by a veth pair whose inner end is {@code eth0}.
 * Nothing lives in the root namespace and nothing routes into it. Names carry a per-run suffix.
 *
 * <pre>
 *   berth-node1-SUFFIX eth0 (192.0.2.11, 2001:db8::11) ─┐
 *   berth-node2-SUFFIX eth0 (192.0.2.12, 2001:db8::12) ─┼─ berth-lan-SUFFIX br0
 *   berth-client-SUFFIX eth0 (192.0.2.2, 2001:db8::2) ──┘
 * </pre>
 *
 * <p>{@link #close} kills what it started and deletes every namespace; a shutdown hook does the same if the JVM
 * exits first. Needs root and iproute2: tests check {@link #available} with {@code assumeTrue}.
 */
public final class NetnsLab implements AutoCloseable {

    public static final String INTERFACE = "eth0";
    private static final String BRIDGE = "br0";

    /** One host on the lab LAN. */
    public record Member(String namespace, MacAddress mac, String ipv4, String ipv6) {}

    private final String suffix;
    private final String lanNamespace;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Member> nodes = new ArrayList<>();
    private final List<ChildJvm> children = new ArrayList<>();
    private final Map<Member, String> bridgePorts = new HashMap<>();
    private final Thread shutdownHook = new Thread(this::removeEverything, "netns-lab-cleanup");
    private Member client;
    private boolean closed;

    private NetnsLab(String suffix) {
        this.suffix = suffix;
        this.lanNamespace = "berth-lan-" + suffix;
    }

    /** Root, and an {@code ip} that knows {@code netns}. */
    public static boolean available() {
        if (!Commands.runningAsRoot() || !Commands.installed("ip")) {
            return false;
        }
        try {
            return Commands.run(Duration.ofSeconds(5), List.of("ip", "netns", "list")).succeeded();
        } catch (IOException e) {
            return false;
        }
    }

    /** Builds the LAN with {@code nodeCount} nodes; on any failure removes what it had made and rethrows. */
    public static NetnsLab create(int nodeCount) throws IOException {
        if (nodeCount < 1 || nodeCount > 9) {
            throw new IllegalArgumentException("nodeCount: " + nodeCount + " (expected: 1..9)");
        }
        NetnsLab lab = new NetnsLab(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2));
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.build(nodeCount);
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void build(int nodeCount) throws IOException {
        addNamespace(lanNamespace);
        ip("-n", lanNamespace, "link", "add", BRIDGE, "type", "bridge", "mcast_snooping", "0");
        ip("-n", lanNamespace, "link", "set", BRIDGE, "up");
        client = join("client", 2);
        for (int i = 1; i <= nodeCount; i++) {
            nodes.add(join("node" + i, 10 + i));
        }
    }

    private Member join(String role, int host) throws IOException {
        String namespace = "berth-" + role + "-" + suffix;
        addNamespace(namespace);
        String port = "p-" + role;
        MacAddress mac = MacAddress.parse(String.format("02:b0:00:00:00:%02x", host));
        ip("-n", lanNamespace, "link", "add", port, "type", "veth", "peer", "name", INTERFACE, "netns", namespace);
        ip("-n", lanNamespace, "link", "set", port, "master", BRIDGE, "up");
        ip("-n", namespace, "link", "set", INTERFACE, "address", mac.toString());
        Member member = new Member(namespace, mac, "192.0.2." + host, "2001:db8::" + Integer.toHexString(host));
        bridgePorts.put(member, port);
        ip("-n", namespace, "addr", "add", member.ipv4() + "/24", "dev", INTERFACE);
        ip("-n", namespace, "addr", "add", member.ipv6() + "/64", "dev", INTERFACE, "nodad");
        ip("-n", namespace, "link", "set", INTERFACE, "up");
        return member;
    }

    private void addNamespace(String namespace) throws IOException {
        ip("netns", "add", namespace);
        namespaces.add(namespace);
        ip("-n", namespace, "link", "set", "lo", "up");
        // Without duplicate address detection, link-local addresses are usable at once (ndisc6 needs one).
        exec(namespace, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
    }

    public Member client() {
        return client;
    }

    public List<Member> nodes() {
        return List.copyOf(nodes);
    }

    /** Every namespace this lab made, bridge namespace first. */
    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /**
     * Takes {@code member}'s port on the bridge down or up again: a cut cable, as the member sees it (its own link
     * goes down too, as a veth's peer does) and as the rest of the LAN sees it (silence, no reset).
     */
    public void setLink(Member member, boolean up) throws IOException {
        String port = bridgePorts.get(member);
        if (port == null) {
            throw new IllegalArgumentException("member: " + member + " (expected: a member of this lab)");
        }
        ip("-n", lanNamespace, "link", "set", port, up ? "up" : "down");
    }

    /** Runs {@code command} inside {@code namespace} to completion (at most {@code timeout}). */
    public CommandResult run(String namespace, Duration timeout, String... command) throws IOException {
        return Commands.run(timeout, inNamespace(namespace, command));
    }

    /** Runs {@code command} inside {@code namespace}; a non-zero exit is an error. */
    public CommandResult exec(String namespace, String... command) throws IOException {
        return Commands.check(inNamespace(namespace, command));
    }

    /**
     * Starts {@code mainClass} from the test class path in a JVM inside {@code namespace}. The lab kills it on
     * close; its stderr goes to {@code target/netns-lab/}.
     */
    public ChildJvm startJava(String namespace, Class<?> mainClass, String... args) throws IOException {
        return startJava(namespace, List.of(), mainClass, args);
    }

    /**
     * As {@link #startJava(String, Class, String...)}, with {@code launcher} run in front of {@code java}, e.g.
     * {@code setpriv --bounding-set=-net_raw} to see how code behaves without CAP_NET_RAW.
     */
    public ChildJvm startJava(String namespace, List<String> launcher, Class<?> mainClass, String... args)
            throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "netns-lab"));
        Path log = logs.resolve(namespace + "-" + mainClass.getSimpleName() + ".log");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(launcher);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        ChildJvm child = new ChildJvm(process, log);
        synchronized (this) {
            children.add(child);
        }
        return child;
    }

    private static List<String> inNamespace(String namespace, String... command) {
        return Stream.concat(Stream.of("ip", "netns", "exec", namespace), Stream.of(command)).toList();
    }

    private static void ip(String... args) throws IOException {
        Commands.check(Stream.concat(Stream.of("ip"), Stream.of(args)).toList());
    }

    @Override
    public void close() {
        removeEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it finds nothing left to do.
        }
    }

    /**
     * Children first (a namespace with a process in it outlives {@code ip netns del}), then any other process
     * still inside our namespaces (started by our children), then the namespaces; their veths and bridge go
     * with them.
     */
    private synchronized void removeEverything() {
        if (closed) {
            return;
        }
        closed = true;
        children.forEach(ChildJvm::close);
        for (String namespace : namespaces.reversed()) {
            try {
                CommandResult pids = Commands.run(Duration.ofSeconds(5), List.of("ip", "netns", "pids", namespace));
                pids.output().lines().map(String::trim).filter(s -> s.matches("\\d+"))
                        .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
                Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "del", namespace));
            } catch (IOException e) {
                System.err.println("netns lab: could not remove " + namespace + ": " + e.getMessage());
            }
        }
    }
}
