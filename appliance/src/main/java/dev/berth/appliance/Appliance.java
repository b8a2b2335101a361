package dev.berth.appliance;

import dev.berth.appliance.address.AddressPlane;
import dev.berth.appliance.address.AddressView;
import dev.berth.appliance.address.AnnouncePlane;
import dev.berth.appliance.admin.AdminServer;
import dev.berth.appliance.admin.CertificateView;
import dev.berth.appliance.admin.RoutesView;
import dev.berth.appliance.admin.NodeInfo;
import dev.berth.appliance.admin.TcpOverview;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.source.SnapshotSource;
import dev.berth.appliance.state.ConfigState;
import dev.berth.appliance.state.ConfigStatus;
import dev.berth.appliance.translate.ProxyConfigTranslator;
import dev.berth.appliance.translate.TcpConfigTranslator;
import dev.berth.proxy.http.DataPlane;
import dev.berth.proxy.tcp.TcpDataPlane;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Berth: admin API first (so {@code /healthz} answers while informers sync), then the data plane's
 * and TCP listeners, then the source, whose observations flow into {@link ConfigState}; every new generation
 * goes to the address plane (allocation), then to the HTTP and TCP data planes. Closing stops them in reverse order.
 */
public final class Appliance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Appliance.class);

    private final ConfigState state;
    private final SnapshotSource source;
    private final AdminServer admin;
    private final Optional<DataPlane> dataPlane;
    private final Optional<TcpDataPlane> tcpPlane;
    private final Optional<AddressPlane> addressPlane;
    private final Optional<AnnouncePlane> announcePlane;

    private Appliance(ConfigState state, SnapshotSource source, AdminServer admin, Optional<DataPlane> dataPlane,
            Optional<TcpDataPlane> tcpPlane, Optional<AddressPlane> addressPlane, Optional<AnnouncePlane> announcePlane) {
        this.state = state;
        this.source = source;
        this.admin = admin;
        this.dataPlane = dataPlane;
        this.tcpPlane = tcpPlane;
        this.addressPlane = addressPlane;
        this.announcePlane = announcePlane;
    }

    /**
     * What a run needs.
     *
     * @param transport the data plane's transport name, for the admin API
     * @param dataPlane the HTTP data plane's settings, or empty to run without one (admin and state only)
     * @param addressPlane the allocator and its store, or empty to allocate nothing
     * @param tcpBind where TCP Services listen instead of their allocated IPs (a single machine without VIPs)
     * @param announcePlane answers ARP/NDP for this node's share of the LoadBalancer IPs, or empty to stay silent
     * @param defaultCertificate the TLS Secret the HTTPS listener presents when no Ingress covers a client's server name
     */
    public record Settings(String node, String version, String transport, InetSocketAddress adminAddress,
            Optional<DataPlane.Settings> dataPlane, Optional<AddressPlane> addressPlane, Optional<InetAddress> tcpBind,
            Optional<AnnouncePlane> announcePlane, Optional<ObjectRef> defaultCertificate) {

        /** With the HTTPS listener's own default certificate. */
        public Settings(String node, String version, String transport, InetSocketAddress adminAddress,
                Optional<DataPlane.Settings> dataPlane, Optional<AddressPlane> addressPlane, Optional<InetAddress> tcpBind,
                Optional<AnnouncePlane> announcePlane) {
            this(node, version, transport, adminAddress, dataPlane, addressPlane, tcpBind, announcePlane, Optional.empty());
        }

        /** Without TCP listeners' bind override (they listen on the Services' own IPs) and without announcing. */
        public Settings(String node, String version, String transport, InetSocketAddress adminAddress,
                Optional<DataPlane.Settings> dataPlane, Optional<AddressPlane> addressPlane) {
            this(node, version, transport, adminAddress, dataPlane, addressPlane, Optional.empty(), Optional.empty());
        }
    }

    public static Appliance start(Settings settings, SnapshotSource source) throws Exception {
        ConfigState state = new ConfigState(Clock.systemUTC());
        AtomicReference<TcpDataPlane> runningTcp = new AtomicReference<>(); // both started after the admin API
        AtomicReference<DataPlane> runningHttp = new AtomicReference<>();
        NodeInfo node = new NodeInfo(settings.node(), settings.version(), settings.transport(), source.describe());
        AdminServer admin;
        try {
            admin = AdminServer.start(settings.adminAddress(), node, state,
                    () -> settings.addressPlane().map(AddressPlane::view).orElse(AddressView.EMPTY)
                            .withOwners(settings.announcePlane().map(AnnouncePlane::owners).orElse(Map.of())),
                    () -> Optional.ofNullable(runningTcp.get()).map(Appliance::tcpOverview),
                    () -> Optional.ofNullable(runningHttp.get()).map(Appliance::certificates).orElse(List.of()),
                    () -> Optional.ofNullable(runningHttp.get()).map(http -> RoutesView.of(http.config())));
        } catch (IOException e) {
            source.close();
            throw new IllegalArgumentException("--admin " + settings.adminAddress().getHostString() + ":"
                    + settings.adminAddress().getPort() + ": cannot listen: " + e.getMessage()
                    + " (expected: a free local address)");
        }
        log.info("berth {} on node {}: admin API on http://{}:{}/, transport {}, {}", settings.version(), settings.node(),
                admin.address().getHostString(), admin.address().getPort(), settings.transport(), source.describe());
        Optional<DataPlane> dataPlane = Optional.empty();
        Optional<TcpDataPlane> tcpPlane = Optional.empty();
        try {
            // Listeners run in this order for each generation: allocate, route HTTP, announce (and make the VIPs
            // local), then bind TCP Services on those VIPs. Routes before announcing, so that a node taking a VIP
            // over never answers its first requests with 404; announcing before TCP, which binds the VIPs.
            settings.addressPlane().ifPresent(plane -> state.onChange(onEachGeneration(status -> plane.reconcile(status.snapshot()))));
            if (settings.dataPlane().isPresent()) {
                dataPlane = Optional.of(DataPlane.start(settings.dataPlane().get()));
                DataPlane proxy = dataPlane.get();
                runningHttp.set(proxy);
                state.onChange(onEachGeneration(status -> proxy.apply(ProxyConfigTranslator.translate(status.generation(), status.snapshot(),
                        settings.defaultCertificate()))));
            }
            // What follows the allocated IPs: announcing them, TCP listeners bound on them. Run for each generation,
            // and again when a replicated allocation table changes the IPs between two generations.
            List<Consumer<ConfigStatus>> followIps = new ArrayList<>();
            settings.announcePlane().ifPresent(announce -> followIps.add(status -> announce.apply(status.snapshot())));
            if (settings.dataPlane().isPresent()) {
                DataPlane.Settings proxy = settings.dataPlane().get();
                TcpDataPlane tcp = TcpDataPlane.start(proxy.transport(), proxy.eventLoops(), proxy.tcpSplice());
                tcpPlane = Optional.of(tcp);
                runningTcp.set(tcp);
                Optional<AddressPlane> addresses = settings.addressPlane();
                followIps.add(status -> tcp.apply(TcpConfigTranslator.translate(status.generation(), status.snapshot(),
                                (namespace, name) -> addresses.map(plane -> plane.addressesOf(namespace, name)).orElse(List.of()),
                                settings.tcpBind()))
                        .forEach(failure -> log.warn("TCP Service {} cannot listen on {}: {}", failure.service(), failure.listen(), failure.message())));
            }
            Consumer<ConfigStatus> followAll = status -> followIps.forEach(follower -> follower.accept(status));
            state.onChange(onEachGeneration(followAll));
            settings.addressPlane().ifPresent(plane -> plane.onRecordChanged(() -> state.replay(followAll)));
            source.start(state::observe);
        } catch (Exception e) {
            tcpPlane.ifPresent(TcpDataPlane::close);
            dataPlane.ifPresent(DataPlane::close);
            admin.close();
            source.close();
            throw e;
        }
        return new Appliance(state, source, admin, dataPlane, tcpPlane, settings.addressPlane(), settings.announcePlane());
    }

    private static TcpOverview tcpOverview(TcpDataPlane tcp) {
        TcpDataPlane.RelayStats stats = tcp.stats();
        return new TcpOverview(tcp.transport().cliName(), stats.relay().toString(), stats.connections(),
                stats.splicedReads(), stats.bufferedBytes());
    }

    private static List<CertificateView> certificates(DataPlane http) {
        Instant now = Instant.now();
        return http.certificates().stream().map(served -> CertificateView.of(served, now)).toList();
    }

    /** A listener that sees each generation once; statuses that only change problems are skipped. */
    private static Consumer<ConfigStatus> onEachGeneration(Consumer<ConfigStatus> action) {
        long[] seen = {0};
        return status -> {
            if (status.generation() != seen[0]) {
                seen[0] = status.generation();
                action.accept(status);
            }
        };
    }

    /** The address plane's latest result, or an empty view when this appliance allocates nothing. */
    public AddressView addressView() {
        return addressPlane.map(AddressPlane::view).orElse(AddressView.EMPTY);
    }

    /** Where a TCP Service's listener is bound, if it has one (tests bind port 0 through {@code --tcp-bind}). */
    public Optional<InetSocketAddress> tcpAddress(String service) {
        return tcpPlane.flatMap(tcp -> tcp.boundAddress(service));
    }

    public ConfigState state() {
        return state;
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /** Where the HTTP listener is bound, if this appliance runs a data plane. */
    public Optional<InetSocketAddress> httpAddress() {
        return dataPlane.map(DataPlane::httpAddress);
    }

    /** Where the HTTPS listener is bound, if this appliance runs one. */
    public Optional<InetSocketAddress> httpsAddress() {
        return dataPlane.flatMap(DataPlane::httpsAddress);
    }

    @Override
    public void close() {
        source.close();
        announcePlane.ifPresent(AnnouncePlane::close);
        tcpPlane.ifPresent(TcpDataPlane::close);
        dataPlane.ifPresent(DataPlane::close);
        addressPlane.ifPresent(AddressPlane::close);
        admin.close();
        log.info("stopped");
    }
}
