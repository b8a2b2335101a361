package dev.berth.l2.announce;

import dev.berth.l2.frame.Ipv6Multicast;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Makes this node the one that answers for a set of addresses on some interfaces. Sits at the end of the address
 * plane: election computes which IPs this node owns and calls {@link #announce}; one receive thread per interface
 * answers ARP and NDP questions for exactly that set; every newly owned address is announced in a burst, and all
 * owned addresses again every refresh interval.
 *
 * <p>Example with the defaults: {@code announce({192.0.2.100})} at t=0 sends gratuitous ARP at 0, 250, 500, 750
 * and 1000 ms, then at 30 s, 60 s... together with every other owned address.
 */
public final class Announcer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Announcer.class.getName());

    private final List<LinkChannel> channels;
    private final AnnouncerSettings settings;
    private final Scheduler scheduler;
    private final Runnable onClose;
    private final AtomicReference<Set<InetAddress>> owned = new AtomicReference<>(Set.of());
    private final AnnouncerStats stats = new AnnouncerStats();
    private final List<ReceiveLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile Consumer<InetAddress> claimListener = address -> {};
    private volatile boolean closed;

    private Announcer(List<LinkChannel> channels, AnnouncerSettings settings, Scheduler scheduler, Runnable onClose) {
        this.channels = List.copyOf(channels);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.onClose = onClose;
    }

    /**
     * Starts receive threads on already open {@code channels}, which the announcer owns and closes. Time-driven
     * work goes to {@code scheduler}, which the caller owns.
     */
    public static Announcer start(List<LinkChannel> channels, AnnouncerSettings settings, Scheduler scheduler) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("channels: none (expected: at least one interface)");
        }
        Announcer announcer = new Announcer(channels, settings, scheduler, () -> {});
        announcer.startThreads();
        return announcer;
    }

    /**
     * Opens an AF_PACKET socket on each of {@code interfaceNames} in the calling thread's network namespace and
     * starts announcing on them, with a scheduler thread of its own. Needs root or CAP_NET_RAW.
     */
    public static Announcer open(List<String> interfaceNames, AnnouncerSettings settings) throws IOException {
        List<LinkChannel> channels = new ArrayList<>();
        try {
            for (String name : interfaceNames) {
                channels.add(PacketChannel.open(name));
            }
        } catch (IOException | RuntimeException e) {
            for (LinkChannel channel : channels) {
                closeQuietly(channel, e);
            }
            throw e;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("berth-l2-announce").daemon().factory());
        Runnable stopExecutor = () -> {
            executor.shutdownNow();
            try {
                // A burst round may be sending right now; let it finish before the sockets close.
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Announcer announcer = new Announcer(channels, settings, Scheduler.of(executor), stopExecutor);
        announcer.startThreads();
        return announcer;
    }

    private void startThreads() {
        for (LinkChannel channel : channels) {
            ReceiveLoop loop = new ReceiveLoop(channel, owned::get, settings.receivePollTimeout(), stats,
                    address -> claimListener.accept(address));
            loops.add(loop);
            threads.add(Thread.ofPlatform().name("berth-l2-" + channel.link().name()).daemon().start(loop));
        }
        scheduler.schedule(settings.refreshInterval(), this::refresh);
    }

    /**
     * Replaces the set of addresses this node answers for. Newly owned IPv6 addresses get their solicited-node
     * group joined before the set is published, so that the first question is heard; newly owned addresses of
     * both families are announced at once, the rest of the burst follows on the scheduler.
     */
    public synchronized void announce(Set<InetAddress> addresses) {
        if (closed) {
            throw new IllegalStateException("announcer is closed");
        }
        Set<InetAddress> next = Set.copyOf(addresses);
        Set<InetAddress> previous = owned.get();
        Set<InetAddress> added = difference(next, previous);
        Set<InetAddress> removed = difference(previous, next);
        for (InetAddress address : added) {
            membership(address, true);
        }
        owned.set(next);
        for (InetAddress address : removed) {
            membership(address, false);
        }
        for (InetAddress address : added) {
            burst(address, 0);
        }
    }

    /**
     * Announces {@code addresses} again in a full burst, as on taking them; those not owned are skipped. For when the
     * LAN may have been told otherwise meanwhile: when a partition heals, the other side had taken over the addresses
     * this node kept, and neighbours and switches point there until told back (without this, until the next refresh).
     */
    public synchronized void reannounce(Set<InetAddress> addresses) {
        if (closed) {
            throw new IllegalStateException("announcer is closed");
        }
        for (InetAddress address : addresses) {
            burst(address, 0);
        }
    }

    /**
     * Asks the LAN, once on every interface, who answers for {@code address} ({@link Announcements#probe}), owned or
     * not; an answer from another MAC reaches the {@link #onClaim} listener. For an owner that heard another node
     * claim its address: while that node answers, the LAN is split between two views; once it does not, it is gone.
     */
    public void probe(InetAddress address) {
        if (closed) {
            return;
        }
        for (LinkChannel channel : channels) {
            send(channel, Announcements.probe(channel.link().mac(), address), "probe for", address);
        }
    }

    /**
     * Calls {@code listener} on a receive thread whenever another MAC claims an address ({@link Claims}: a gratuitous
     * ARP, an ARP reply to this node, or a neighbour advertisement), owned or not. It must return quickly and must
     * not call back into this announcer's {@link #close}: hand the work to another thread.
     */
    public void onClaim(Consumer<InetAddress> listener) {
        claimListener = Objects.requireNonNull(listener, "listener");
    }

    /** The interfaces announced on, with the MACs the kernel reported for them. */
    public List<Link> links() {
        return channels.stream().map(LinkChannel::link).toList();
    }

    /** The addresses answered for right now. */
    public Set<InetAddress> owned() {
        return owned.get();
    }

    public AnnouncerStats stats() {
        return stats;
    }

    private void burst(InetAddress address, int round) {
        // A round whose address was withdrawn meanwhile stays silent: never announce what another node now owns.
        if (closed || !owned.get().contains(address)) {
            return;
        }
        sendAnnouncements(address);
        if (round + 1 < settings.burstCount()) {
            scheduler.schedule(settings.burstInterval(), () -> burst(address, round + 1));
        }
    }

    private void refresh() {
        if (closed) {
            return;
        }
        for (InetAddress address : owned.get()) {
            sendAnnouncements(address);
        }
        scheduler.schedule(settings.refreshInterval(), this::refresh);
    }

    private void sendAnnouncements(InetAddress address) {
        for (LinkChannel channel : channels) {
            for (byte[] frame : Announcements.of(channel.link().mac(), address)) {
                if (send(channel, frame, "announcement of", address)) {
                    stats.announced();
                }
            }
        }
    }

    /** Sends one frame; a failure is logged ({@code what} the frame is, about {@code address}) and reported false. */
    private static boolean send(LinkChannel channel, byte[] frame, String what, InetAddress address) {
        try {
            channel.send(frame);
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, what + " " + address.getHostAddress() + " on " + channel.link().name()
                    + " not sent: " + e.getMessage());
            return false;
        }
    }

    private void membership(InetAddress address, boolean join) {
        if (!(address instanceof Inet6Address v6)) {
            return;
        }
        for (LinkChannel channel : channels) {
            try {
                if (join) {
                    channel.joinGroup(Ipv6Multicast.solicitedNode(v6));
                } else {
                    channel.leaveGroup(Ipv6Multicast.solicitedNode(v6));
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, (join ? "joining" : "leaving") + " the solicited-node group of "
                        + v6.getHostAddress() + " on " + channel.link().name() + " failed: " + e.getMessage());
            }
        }
    }

    /**
     * Stops the receive threads, then closes the sockets: in that order, because a descriptor closed under a
     * thread still polling it could be reused by an unrelated open.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        loops.forEach(ReceiveLoop::stop);
        Duration wait = settings.receivePollTimeout().multipliedBy(2).plusSeconds(2);
        for (Thread thread : threads) {
            try {
                if (!thread.join(wait)) {
                    LOG.log(System.Logger.Level.WARNING, thread.getName() + " did not stop within " + wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        onClose.run();
        for (LinkChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + channel.link().name() + ": " + e.getMessage());
            }
        }
    }

    private static Set<InetAddress> difference(Set<InetAddress> a, Set<InetAddress> b) {
        Set<InetAddress> result = new HashSet<>(a);
        result.removeAll(b);
        return result;
    }

    private static void closeQuietly(LinkChannel channel, Exception cause) {
        try {
            channel.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
