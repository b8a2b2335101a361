package dev.berth.appliance;

import dev.berth.appliance.admin.AdminServer;
import dev.berth.appliance.admin.NodeInfo;
import dev.berth.appliance.source.SnapshotSource;
import dev.berth.appliance.state.ConfigState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Berth: admin API first (so {@code /healthz} answers while informers sync), then the source,
 * whose observations flow into {@link ConfigState}. Closing stops them in reverse order.
 */
public final class Appliance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Appliance.class);

    private final ConfigState state;
    private final SnapshotSource source;
    private final AdminServer admin;

    private Appliance(ConfigState state, SnapshotSource source, AdminServer admin) {
        this.state = state;
        this.source = source;
        this.admin = admin;
    }

    /** What a run needs: who this node is, where the admin API listens, where configuration comes from. */
    public record Settings(String node, String version, String transport, InetSocketAddress adminAddress) {
    }

    public static Appliance start(Settings settings, SnapshotSource source) throws Exception {
        ConfigState state = new ConfigState(Clock.systemUTC());
        NodeInfo node = new NodeInfo(settings.node(), settings.version(), settings.transport(), source.describe());
        AdminServer admin;
        try {
            admin = AdminServer.start(settings.adminAddress(), node, state);
        } catch (IOException e) {
            source.close();
            throw new IllegalArgumentException("--admin " + settings.adminAddress().getHostString() + ":"
                    + settings.adminAddress().getPort() + ": cannot listen: " + e.getMessage()
                    + " (expected: a free local address)");
        }
        log.info("berth {} on node {}: admin API on http://{}:{}/, transport {}, {}", settings.version(), settings.node(),
                admin.address().getHostString(), admin.address().getPort(), settings.transport(), source.describe());
        try {
            source.start(state::observe);
        } catch (Exception e) {
            admin.close();
            source.close();
            throw e;
        }
        return new Appliance(state, source, admin);
    }

    public ConfigState state() {
        return state;
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    @Override
    public void close() {
        source.close();
        admin.close();
        log.info("stopped");
    }
}
