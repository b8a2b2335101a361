package dev.berth.l2.membership;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;

/**
 * How this node joins the group: its name (the JGroups logical name, and the name election ranks), the address and
 * TCP port its transport listens on, the static peers to contact (empty: find them by multicast on the LAN) and
 * the cluster name that keeps separate Berth groups on one LAN apart. Built once at start by the appliance from
 * {@code --node}, {@code --peers} and friends; {@link #of} turns their text into one clear error per bad value.
 *
 * <p>Ports to open between nodes: TCP {@code port}; TCP {@code port + }{@value #FAILURE_DETECTION_PORT_OFFSET} (the
 * failure detector's socket, up to 5 ports higher if taken); with multicast discovery, UDP {@value #DISCOVERY_PORT}
 * to group {@value #DISCOVERY_GROUP_V4} (IPv4 bind address) or {@value #DISCOVERY_GROUP_V6} (IPv6), link-local only.
 */
public record MembershipSettings(String node, InetAddress bindAddress, int port, List<Peer> peers, String cluster) {

    public static final int DEFAULT_PORT = 7800;
    public static final String DEFAULT_CLUSTER = "berth";
    public static final int FAILURE_DETECTION_PORT_OFFSET = 100;
    /** Administratively scoped, so routers do not forward it; sent with TTL 1 anyway. */
    public static final String DISCOVERY_GROUP_V4 = "239.255.78.80";
    /** Link-local scope (ff12::/16, transient). */
    public static final String DISCOVERY_GROUP_V6 = "ff12::7880";
    public static final int DISCOVERY_PORT = 7580;

    public MembershipSettings {
        requireNonNull(node, "node");
        requireNonNull(bindAddress, "bindAddress");
        requireNonNull(cluster, "cluster");
        if (node.isBlank()) {
            throw new IllegalArgumentException("node: '" + node + "' (expected: a non-empty name, e.g. the host name)");
        }
        if (bindAddress.isAnyLocalAddress() || bindAddress.isMulticastAddress()) {
            throw new IllegalArgumentException("bindAddress: " + bindAddress.getHostAddress()
                    + " (expected: one unicast address of this host, on the LAN interface; peers connect to it)");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
        peers = List.copyOf(peers);
        if (cluster.isBlank()) {
            throw new IllegalArgumentException("cluster: '" + cluster + "' (expected: a non-empty name, e.g. berth)");
        }
    }

    /**
     * From command-line text: {@code bindAddress} an IP literal (no name lookup), each peer {@code HOST[:PORT]} with
     * {@code port} as the default port.
     */
    public static MembershipSettings of(String node, String bindAddress, int port, List<String> peers, String cluster) {
        requireNonNull(bindAddress, "bindAddress");
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(bindAddress.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bindAddress: '" + bindAddress
                    + "' (expected: an IP literal of this host, e.g. 192.0.2.11 or 2001:db8::11)");
        }
        return new MembershipSettings(node, address, port, peers.stream().map(peer -> Peer.parse(peer, port)).toList(), cluster);
    }

    /** No static peers: members find each other by multicast on the bind address's link. */
    public boolean multicastDiscovery() {
        return peers.isEmpty();
    }
}
