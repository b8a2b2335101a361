package dev.berth.appliance.cli;

import dev.berth.appliance.Appliance;
import dev.berth.appliance.address.AddressEvents;
import dev.berth.appliance.address.AddressPlane;
import dev.berth.appliance.address.AllocatorLease;
import dev.berth.appliance.address.AnnouncePlane;
import dev.berth.appliance.address.SingleNode;
import dev.berth.appliance.address.ServiceEvents;
import dev.berth.appliance.address.ServiceOwners;
import dev.berth.appliance.address.ReplicatedStore;
import dev.berth.appliance.address.ServiceStatusStore;
import dev.berth.appliance.address.StateFileStore;
import dev.berth.appliance.cluster.KubernetesPeers;
import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.proxy.http.DataPlane;
import dev.berth.proxy.tls.TlsLibrary;
import dev.berth.proxy.transport.TransportChoice;
import dev.berth.l2.membership.JGroupsMembership;
import dev.berth.l2.membership.Membership;
import dev.berth.l2.membership.MembershipSettings;
import dev.berth.l2.replication.TableReplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth run}: the long-running process. Stops cleanly on SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run Berth on this node until stopped.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @ArgGroup(exclusive = true, multiplicity = "1")
    SourceOptions source;

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9080", converter = HostPort.class,
            description = "Admin API address (default: ${DEFAULT-VALUE}).")
    InetSocketAddress admin;

    @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:80", converter = HostPort.class,
            description = "HTTP listener (cleartext HTTP/1.1 and h2c) for Ingress traffic (default: ${DEFAULT-VALUE}).")
    InetSocketAddress http;

    @Option(names = "--https", paramLabel = "HOST:PORT|off", defaultValue = "0.0.0.0:443", converter = HostPort.OrOff.class,
            description = "HTTPS listener (TLS with the certificates of the Ingresses' spec.tls, chosen by SNI; HTTP/1.1 and h2 by ALPN)"
                    + " (default: ${DEFAULT-VALUE}; off: none).")
    InetSocketAddress https;

    @Option(names = "--no-session-tickets",
            description = "HTTPS clients may not resume TLS sessions by ticket: every new connection is a full handshake"
                    + " (as NGINX's ssl_session_tickets off, HAProxy's no-tls-tickets).")
    boolean noSessionTickets;

    @Option(names = "--tls-library", paramLabel = "auto|jdk", defaultValue = "auto",
            description = "TLS, of the HTTPS listener and to https backends: BoringSSL where netty-tcnative loads, else the JDK's"
                    + " (auto, the default), or the JDK's always.")
    String tlsLibrary;

    @Option(names = "--default-certificate", paramLabel = "NAMESPACE/NAME",
            description = "The TLS Secret HTTPS clients get when no Ingress's certificate covers the name they ask for, or they send"
                    + " none (default: a self-signed certificate Berth makes at start).")
    String defaultCertificate;

    @Option(names = "--trusted-proxy", paramLabel = "CIDR",
            description = "A proxy in front of Berth whose X-Forwarded-* and Forwarded headers are kept (repeatable).")
    List<String> trustedProxies = List.of();

    @Option(names = "--tcp-bind", paramLabel = "IP",
            description = "TCP Services (berth.dev/proxy: tcp) listen on this address instead of their LoadBalancer IPs.")
    String tcpBind;

    @Option(names = "--interface", paramLabel = "IF",
            description = "Answer ARP/NDP for LoadBalancer IPs on this interface (repeatable; default: the interfaces the L2Advertisements name; none: no announcing).")
    List<String> interfaces = List.of();

    @Option(names = "--serve-vips",
            description = "Make the LoadBalancer IPs this node answers for local (on lo), so that Berth's own proxy serves them"
                    + " (an appliance outside the cluster; not where kube-proxy takes them).")
    boolean serveVips;

    @Option(names = "--cluster-bind", paramLabel = "IP[:PORT]",
            description = "Join the other Berth nodes (JGroups) from this LAN address (default port 7800); alone without it.")
    String clusterBind;

    @Option(names = "--peers", paramLabel = "HOST[:PORT],...", split = ",",
            description = "Static membership: the other nodes' cluster addresses (default: multicast discovery on the LAN;"
                    + " in Kubernetes mode the pods of --peer-selector).")
    List<String> peers = List.of();

    @Option(names = "--peer-selector", paramLabel = "KEY=VALUE[,...]", defaultValue = KubernetesPeers.DEFAULT_SELECTOR,
            description = "Kubernetes mode without --peers: the other nodes are the pods with these labels in Berth's namespace"
                    + " (default: ${DEFAULT-VALUE}).")
    String peerSelector;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = "/var/lib/berth",
            description = "Standalone: where allocations are kept across restarts (default: ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--load-balancer-class", paramLabel = "CLASS",
            description = "Serve LoadBalancer Services of this loadBalancerClass (repeatable; 'none' for Services without one;"
                    + " default: none and berth.dev/lb).")
    List<String> loadBalancerClasses = List.of();

    @Option(names = "--node", paramLabel = "NAME", description = "This node's name (default: $NODE_NAME, else the host name).")
    String node;

    @Option(names = "--transport", paramLabel = "auto|epoll|io_uring|nio", defaultValue = "auto",
            description = "Netty transport of the data plane (default: ${DEFAULT-VALUE}: epoll, else io_uring, else NIO).")
    String transport;

    @Option(names = "--event-loops", paramLabel = "N", defaultValue = "0",
            description = "Event loops (threads) of the data plane, as HAProxy's nbthread (default: one per CPU this process may run on).")
    int eventLoops;

    @Option(names = "--tcp-splice",
            description = "Raw TCP Services relay with splice(2) on epoll instead of through buffers on the chosen transport "
                    + "(bytes stay in the kernel; slower on loopback here: see benchmarks/README.md).")
    boolean tcpSplice;

    @Override
    public Integer call() throws Exception {
        TransportChoice choice = TransportChoice.choose(transport);
        log.info("transport {}", choice.describe());
        if (eventLoops < 0) {
            throw new IllegalArgumentException("--event-loops " + eventLoops + ": negative (expected: 0 for one per CPU, or a count)");
        }
        Optional<ObjectRef> fallbackCertificate = secretRef("--default-certificate", defaultCertificate);
        TlsLibrary library = TlsLibrary.of(tlsLibrary);
        DataPlane.Settings proxy = DataPlane.Settings.defaults(choice, http).withTrustedProxies(trustedProxies).withEventLoops(eventLoops)
                .withTcpSplice(tcpSplice).withTlsLibrary(library)
                .withHttps(Optional.ofNullable(https).map(address -> DataPlane.Https.at(address).withSessionTickets(!noSessionTickets)));
        String nodeName = nodeName(node);
        if (clusterBind == null && !peers.isEmpty()) {
            throw new IllegalArgumentException("--peers needs --cluster-bind (expected: this node's LAN address to join from)");
        }
        AddressSetup address = source.standalone() ? (clusterBind == null ? standalone(nodeName) : standaloneGroup(nodeName))
                : kubernetes(nodeName);
        AnnouncePlane announcePlane = new AnnouncePlane(address.membership(), interfaces, address.plane()::view, serveVips);
        if (!source.standalone()) { // owners go on the Services too: the nodeAssigned event and an annotation
            announcePlane.recordOwnersWith(new ServiceOwners(source.client(), new ServiceEvents(source.client(), nodeName, Clock.systemUTC())));
        }
        Appliance.Settings settings = new Appliance.Settings(nodeName, BerthCommand.Version.current(),
                choice.transport().cliName(), admin, Optional.of(proxy), Optional.of(address.plane()), tcpBindAddress(tcpBind),
                Optional.of(announcePlane), fallbackCertificate);
        CountDownLatch stopped = new CountDownLatch(1);
        Appliance appliance = Appliance.start(settings, source.open());
        address.lease().ifPresent(AllocatorLease::start);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            address.lease().ifPresent(AllocatorLease::close);
            appliance.close();
            address.discovery().ifPresent(KubernetesPeers::close);
            source.close();
            stopped.countDown();
        }, "berth-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * Who allocates and who is alive, per mode: the allocator with its record, this node's membership, and what has
     * to be started (the Lease) or closed (the Kubernetes watch of the peers) beside them.
     */
    private record AddressSetup(AddressPlane plane, Membership membership, Optional<AllocatorLease> lease,
            Optional<KubernetesPeers> discovery) {}

    /** A single standalone node: its own state file, alone. */
    private AddressSetup standalone(String nodeName) {
        return new AddressSetup(new AddressPlane(StateFileStore.open(state), classes(loadBalancerClasses)), new SingleNode(nodeName),
                Optional.empty(), Optional.empty());
    }

    /**
     * Several standalone nodes: one allocator for the group, the coordinator, whose table every member keeps in its
     * own state file.
     */
    private AddressSetup standaloneGroup(String nodeName) throws IOException {
        StateFileStore file = StateFileStore.open(state);
        JGroupsMembership group = joinCluster(nodeName);
        AtomicReference<AddressPlane> plane = new AtomicReference<>(); // the replication's callback and the plane refer to each other
        TableReplication replication = new TableReplication(nodeName, group, file,
                () -> Optional.ofNullable(plane.get()).ifPresent(AddressPlane::reloadRecord));
        plane.set(new AddressPlane(new ReplicatedStore(replication, file), classes(loadBalancerClasses), replication::mayAllocate,
                AddressEvents.NONE));
        return new AddressSetup(plane.get(), group, Optional.empty(), Optional.empty());
    }

    /**
     * Kubernetes mode: the Lease holder allocates into Service status; the membership (for announcing) finds the other
     * nodes by {@code --peers}, else as the pods of {@code --peer-selector}.
     */
    private AddressSetup kubernetes(String nodeName) throws IOException {
        AddressPlane[] plane = new AddressPlane[1]; // the lease's callback and the plane refer to each other
        AllocatorLease lease = new AllocatorLease(source.client(), leaseNamespace(), nodeName, LEASE_DURATION, () -> plane[0].reconcileLatest());
        plane[0] = new AddressPlane(new ServiceStatusStore(source.client()), classes(loadBalancerClasses), lease,
                new ServiceEvents(source.client(), nodeName, Clock.systemUTC()));
        if (clusterBind == null) {
            return new AddressSetup(plane[0], new SingleNode(nodeName), Optional.of(lease), Optional.empty());
        }
        if (!peers.isEmpty()) {
            return new AddressSetup(plane[0], joinCluster(nodeName), Optional.of(lease), Optional.empty());
        }
        MembershipSettings settings = clusterSettings(nodeName);
        KubernetesPeers pods = KubernetesPeers.start(source.client(), leaseNamespace(), KubernetesPeers.parseSelector(peerSelector),
                settings.port(), settings.bindAddress());
        return new AddressSetup(plane[0], JGroupsMembership.start(settings, pods), Optional.of(lease), Optional.of(pods));
    }

    /** Long enough to ride out an API server hiccup, short enough that a dead allocator is replaced quickly. */
    static final Duration LEASE_DURATION = Duration.ofSeconds(15);

    /** The Lease lives in Berth's own namespace: the pod's ($POD_NAMESPACE), else berth-system. */
    static String leaseNamespace() {
        String namespace = System.getenv("POD_NAMESPACE");
        return namespace == null || namespace.isBlank() ? "berth-system" : namespace;
    }

    private JGroupsMembership joinCluster(String nodeName) throws IOException {
        return JGroupsMembership.start(clusterSettings(nodeName));
    }

    /** {@code --cluster-bind} and {@code --peers} as membership settings. */
    private MembershipSettings clusterSettings(String nodeName) {
        int colon = clusterBind.lastIndexOf(':');
        boolean hasPort = colon > 0 && clusterBind.indexOf(':') == colon; // IPv4 or name with a port; bare IPv6 has many
        String host = hasPort ? clusterBind.substring(0, colon) : clusterBind;
        int port;
        try {
            port = hasPort ? Integer.parseInt(clusterBind.substring(colon + 1)) : MembershipSettings.DEFAULT_PORT;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--cluster-bind " + clusterBind + ": port (expected: IP[:PORT], e.g. 192.0.2.11:7800)");
        }
        return MembershipSettings.of(nodeName, host, port, peers, MembershipSettings.DEFAULT_CLUSTER);
    }

    /** {@code NAMESPACE/NAME} of a Secret, as an option gives it. */
    static Optional<ObjectRef> secretRef(String option, String value) {
        if (value == null) {
            return Optional.empty();
        }
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException(option + " " + value + ": not NAMESPACE/NAME (expected: e.g. berth-system/default-tls)");
        }
        return Optional.of(new ObjectRef(Kind.SECRET, value.substring(0, slash), value.substring(slash + 1)));
    }

    static Optional<InetAddress> tcpBindAddress(String literal) {
        if (literal == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.ofLiteral(literal));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tcp-bind " + literal + ": not an IP address (expected: e.g. 127.0.0.1 or ::1)");
        }
    }

    static Set<String> classes(List<String> given) {
        if (given.isEmpty()) {
            return AddressPlane.defaultClasses();
        }
        return given.stream().map(name -> name.equals("none") ? "" : name).collect(java.util.stream.Collectors.toSet());
    }

    static String nodeName(String given) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        String fromEnvironment = System.getenv("NODE_NAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
