package dev.berth.l2.membership;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jgroups.protocols.BARRIER;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG2;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.MPING;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * The JGroups protocol stack {@link JGroupsMembership} runs, bottom to top, built in code so that the timings sit
 * next to the reason for them. Measured in the netns lab (../shared/TOOLCHAIN.md): a killed process is out of the
 * view after about {@link #VERIFY_TIMEOUT} (its socket closes, FD_SOCK2 suspects at once, VERIFY_SUSPECT2 confirms),
 * a silent one after about {@link #HEARTBEAT_TIMEOUT} + {@link #VERIFY_TIMEOUT}; two halves of a healed partition
 * merge within about two {@link #MERGE_CHECK_INTERVAL}s.
 */
final class JGroupsStack {

    /** A peer that does not accept within this is treated as down; LAN round trips are well under a millisecond. */
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);
    static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(100);
    /** Five missed heartbeats: sub-second detection of a cut link, still tolerant of one lost or late packet. */
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofMillis(500);
    /**
     * How long a suspect has to prove it lives. Longer costs failover time on every crash; shorter risks evicting a
     * node that merely paused (GC, a busy core) — which then merges back and makes IPs move twice.
     */
    static final Duration VERIFY_TIMEOUT = Duration.ofMillis(200);
    /** A joiner waits this long for the coordinator; the first node of a group waits it once, alone. */
    static final Duration JOIN_TIMEOUT = Duration.ofMillis(500);
    static final Duration VIEW_ACK_TIMEOUT = Duration.ofMillis(300);
    /**
     * Every member says which view it is in every 0.5–1.5 s, and each check looks at what arrived; after a partition
     * heals, a check finds two views and merges them (2–4 s in the lab). Until then both halves have an owner for
     * the same IPs, so shorter is better; JGroups' default check (1.6 × the maximum interval) measured ~5 s.
     */
    static final Duration MERGE_MIN_INTERVAL = Duration.ofMillis(500);
    static final Duration MERGE_MAX_INTERVAL = Duration.ofMillis(1_500);
    /** Longer than the maximum interval, so that each check has heard from every member. */
    static final Duration MERGE_CHECK_INTERVAL = Duration.ofMillis(2_000);
    /** Discovery multicast stays on the bind address's link: election only concerns nodes on one L2 segment. */
    private static final int DISCOVERY_TTL = 1;

    private JGroupsStack() {}

    /**
     * Discovery from a list that changes ({@code changingPeers} present, e.g. the pods of a DaemonSet), static
     * ({@code peers} non-empty, already resolved) or multicast (neither).
     */
    static List<Protocol> protocols(MembershipSettings settings, List<InetSocketAddress> peers,
            Optional<Supplier<? extends Collection<InetSocketAddress>>> changingPeers) {
        InetAddress bind = settings.bindAddress();
        Protocol discovery = changingPeers.<Protocol>map(ChangingPeersPing::new)
                .orElseGet(() -> peers.isEmpty() ? multicastDiscovery(bind) : staticDiscovery(peers));
        return List.of(
                transport(bind, settings.port()),
                discovery,
                new MERGE3()
                        .setMinInterval(MERGE_MIN_INTERVAL.toMillis())
                        .setMaxInterval(MERGE_MAX_INTERVAL.toMillis())
                        .setCheckInterval(MERGE_CHECK_INTERVAL.toMillis()),
                new FD_SOCK2().setBindAddress(bind).setOffset(MembershipSettings.FAILURE_DETECTION_PORT_OFFSET),
                heartbeats(),
                new VERIFY_SUSPECT2().setTimeout(VERIFY_TIMEOUT.toMillis()),
                new BARRIER(),
                new NAKACK2(),
                new UNICAST3(),
                new STABLE(),
                groupMembership(),
                new MFC(),
                new UFC(),
                new FRAG2());
    }

    private static TCP transport(InetAddress bind, int port) {
        TCP tcp = new TCP();
        tcp.setBindAddress(bind);
        tcp.setBindPort(port);
        // Exactly this port: silently moving to the next free one would hide the node from its static peers.
        tcp.setPortRange(0);
        tcp.setSockConnTimeout((int) CONNECT_TIMEOUT.toMillis());
        tcp.tcpNodelay(true);
        return tcp;
    }

    private static TCPPING staticDiscovery(List<InetSocketAddress> peers) {
        TCPPING ping = new TCPPING();
        ping.setInitialHosts(peers);
        // Only the ports given: probing neighbouring ports would knock on unrelated services.
        ping.setPortRange(0);
        return ping;
    }

    private static MPING multicastDiscovery(InetAddress bind) {
        String group = bind instanceof Inet4Address
                ? MembershipSettings.DISCOVERY_GROUP_V4
                : MembershipSettings.DISCOVERY_GROUP_V6;
        return new MPING()
                .setBindAddr(bind)
                .setMcastAddr(InetAddress.ofLiteral(group))
                .setMcastPort(MembershipSettings.DISCOVERY_PORT)
                .setTTL(DISCOVERY_TTL);
    }

    private static FD_ALL3 heartbeats() {
        FD_ALL3 heartbeats = new FD_ALL3();
        heartbeats.setInterval(HEARTBEAT_INTERVAL.toMillis());
        heartbeats.setTimeout(HEARTBEAT_TIMEOUT.toMillis());
        return heartbeats;
    }

    private static GMS groupMembership() {
        return new GMS()
                .setJoinTimeout(JOIN_TIMEOUT.toMillis())
                .setViewAckCollectionTimeout(VIEW_ACK_TIMEOUT.toMillis())
                // JGroups prints a banner on stdout otherwise; the appliance logs the view itself.
                .printLocalAddress(false);
    }
}
