package dev.berth.l2.membership;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.util.NameCache;

/**
 * {@link Membership} backed by a JGroups channel (stack: {@link JGroupsStack}) whose logical name is the node name.
 * The group's coordinator decides each view and every member installs the same one, so members agree on who is
 * alive; a crashed or cut-off member drops out within a second, and halves of a partition merge back by themselves.
 *
 * <p>Where it sits: the appliance {@link #start starts} it once with {@link MembershipSettings}, registers one
 * {@link #onChange} listener that re-runs election, and {@link #close closes} it on shutdown, which lets the others
 * see the departure at once instead of waiting for failure detection. The same channel carries the {@link Messaging}
 * of allocation-table replication: a few KB per change, beside the heartbeats.
 *
 * <p>No JVM flag is needed: where a host has both IPv4 and IPv6 addresses, JGroups 5.5 runs "dual" and uses the bind
 * address's family, so {@code -Djava.net.preferIPv4Stack=true} is not required (lab-tested with IPv4 and IPv6 bind
 * addresses) — and it must not be set for the appliance, as it would take IPv6 from the proxy too.
 */
public final class JGroupsMembership implements Membership, Messaging {

    private static final System.Logger LOG = System.getLogger(JGroupsMembership.class.getName());

    private final String self;
    private final JChannel channel;
    private final ViewFeed feed;
    private final List<BiConsumer<String, byte[]>> messageListeners;

    private JGroupsMembership(String self, JChannel channel, ViewFeed feed, List<BiConsumer<String, byte[]>> messageListeners) {
        this.self = self;
        this.channel = channel;
        this.feed = feed;
        this.messageListeners = messageListeners;
    }

    /**
     * Joins (or founds) the group and returns once this node is in a view: about half a second for the first node,
     * which waits {@link JGroupsStack#JOIN_TIMEOUT} for a coordinator that is not there.
     *
     * @throws IllegalArgumentException if the bind address is not this host's or a peer does not resolve to an
     *     address of the bind address's family; the message names the field
     * @throws IOException if the group cannot be joined, e.g. the port is taken
     */
    public static JGroupsMembership start(MembershipSettings settings) throws IOException {
        return start(settings, Optional.empty());
    }

    /**
     * Joins like {@link #start(MembershipSettings)}, finding the others at the addresses {@code peers} gives at each
     * discovery round (when joining, and every merge check), instead of the settings' static or multicast discovery.
     * The list may start empty: this node then founds the group, and merges with the others once they are listed.
     */
    public static JGroupsMembership start(MembershipSettings settings, Supplier<? extends Collection<InetSocketAddress>> peers)
            throws IOException {
        return start(settings, Optional.of(requireNonNull(peers, "peers")));
    }

    private static JGroupsMembership start(MembershipSettings settings, Optional<Supplier<? extends Collection<InetSocketAddress>>> changing)
            throws IOException {
        requireNonNull(settings, "settings");
        checkLocal(settings.bindAddress());
        List<InetSocketAddress> peers = resolve(settings.peers(), settings.bindAddress());
        ViewFeed feed = new ViewFeed(settings.node());
        List<BiConsumer<String, byte[]>> messageListeners = new CopyOnWriteArrayList<>();
        JChannel channel = null;
        try {
            channel = new JChannel(JGroupsStack.protocols(settings, peers, changing));
            // JGroups' probe endpoint, a UDP multicast listener, is on by default; Berth reports via its admin API.
            channel.getProtocolStack().getTransport().getDiagnosticsHandler().setEnabled(false);
            channel.setName(settings.node());
            channel.setDiscardOwnMessages(true);
            channel.receiver(new Receiver() {
                @Override
                public void viewAccepted(View view) {
                    feed.publish(names(view));
                }

                @Override
                public void receive(Message message) {
                    if (!message.hasArray()) {
                        return; // Berth sends only byte messages
                    }
                    String sender = name(message.getSrc());
                    byte[] payload = message.getArray();
                    // Copied: JGroups may reuse the buffer once receive() returns, and the listener runs later.
                    byte[] copy = Arrays.copyOfRange(payload, message.getOffset(), message.getOffset() + message.getLength());
                    feed.submit(() -> messageListeners.forEach(listener -> listener.accept(sender, copy)));
                }
            });
            channel.connect(settings.cluster());
            LOG.log(System.Logger.Level.INFO, "joined cluster '" + settings.cluster() + "' as " + settings.node()
                    + " on " + endpoint(settings)
                    + (changing.isPresent() ? " (peers as listed now: " + changing.get().get() + ")"
                            : peers.isEmpty() ? " (multicast discovery)" : " (peers " + settings.peers() + ")")
                    + "; view " + feed.current());
            return new JGroupsMembership(settings.node(), channel, feed, messageListeners);
        } catch (Exception e) {
            feed.close();
            if (channel != null) {
                channel.close();
            }
            throw new IOException("membership: cannot join cluster '" + settings.cluster() + "' on "
                    + endpoint(settings) + ": " + rootMessage(e), e);
        }
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public Set<String> members() {
        return feed.current();
    }

    @Override
    public void onChange(Consumer<Set<String>> listener) {
        requireNonNull(listener, "listener");
        feed.subscribe(view -> listener.accept(Set.copyOf(view)));
    }

    @Override
    public void onView(Consumer<List<String>> listener) {
        feed.subscribe(requireNonNull(listener, "listener"));
    }

    @Override
    public void onMessage(BiConsumer<String, byte[]> listener) {
        messageListeners.add(requireNonNull(listener, "listener"));
    }

    @Override
    public void sendToAll(byte[] payload) {
        send(null, payload);
    }

    @Override
    public void sendTo(String node, byte[] payload) {
        View view = channel.getView();
        if (view == null) {
            return;
        }
        for (Address member : view.getMembers()) {
            if (node.equals(name(member))) {
                send(member, payload);
                return;
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "not sent to " + node + ": not in view " + view.getViewId());
    }

    private void send(Address to, byte[] payload) {
        try {
            channel.send(new BytesMessage(to, payload));
        } catch (Exception e) {
            // The channel is closing or the member just left; the next view makes every member report again.
            LOG.log(System.Logger.Level.WARNING, "membership: message to " + (to == null ? "all" : name(to)) + " not sent: " + rootMessage(e));
        }
    }

    @Override
    public void close() {
        feed.close();
        channel.close();
    }

    private static String name(Address member) {
        String name = NameCache.get(member);
        return name == null ? member.toString() : name;
    }

    /** The members' names, oldest first: the first is the coordinator. */
    private static List<String> names(View view) {
        Set<String> names = new LinkedHashSet<>();
        for (Address member : view.getMembers()) {
            String name = name(member);
            if (!names.add(name)) {
                // Election would merge them into one node, and both would announce the same IPs.
                LOG.log(System.Logger.Level.ERROR, "two members of view " + view.getViewId() + " are named " + name
                        + ": every node needs its own --node name");
            }
        }
        return List.copyOf(names);
    }

    private static void checkLocal(InetAddress bindAddress) {
        boolean local;
        try {
            local = NetworkInterface.getByInetAddress(bindAddress) != null;
        } catch (SocketException e) {
            local = false;
        }
        if (!local) {
            throw new IllegalArgumentException("bindAddress: " + bindAddress.getHostAddress()
                    + " (expected: an address of one of this host's interfaces)");
        }
    }

    /** Each peer to an address of the bind address's family: a socket bound to one family cannot reach the other. */
    private static List<InetSocketAddress> resolve(List<Peer> peers, InetAddress bindAddress) {
        boolean ipv4 = bindAddress instanceof Inet4Address;
        List<InetSocketAddress> resolved = new ArrayList<>();
        for (Peer peer : peers) {
            InetAddress[] candidates;
            try {
                candidates = InetAddress.getAllByName(peer.host());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("peers: '" + peer + "' does not resolve (expected: an IP literal or"
                        + " a resolvable host name)");
            }
            InetAddress address = Arrays.stream(candidates)
                    .filter(candidate -> (candidate instanceof Inet4Address) == ipv4)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("peers: '" + peer + "' (expected: an "
                            + (ipv4 ? "IPv4" : "IPv6") + " address, the family of bindAddress "
                            + bindAddress.getHostAddress() + ")"));
            resolved.add(new InetSocketAddress(address, peer.port()));
        }
        return resolved;
    }

    private static String endpoint(MembershipSettings settings) {
        return new Peer(settings.bindAddress().getHostAddress(), settings.port()).toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
