package dev.berth.appliance.address;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.ServiceKey;
import dev.berth.l2.announce.Announcer;
import dev.berth.l2.announce.AnnouncerSettings;
import dev.berth.l2.membership.Membership;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The announcing edge of {@code berth run}: after every generation and every membership change, recomputes the
 * {@link AnnouncementPlan} and hands this node's share to the {@link Announcer} (ARP/NDP over AF_PACKET), on the
 * interfaces given by {@code --interface}, else those the L2Advertisements name. Unlike MetalLB there is no
 * "every interface" default: an appliance answers for addresses only on a network it was told about, and a
 * developer running the quick start on a laptop sends nothing onto the office LAN. A node that cannot open raw
 * sockets (no CAP_NET_RAW) says so once and keeps serving everything else.
 *
 * <p><b>Handing over to a node that joins.</b> A restarted node enters the JGroups view a second or more before it has
 * read its configuration and opened its announcer, yet every node ranks it first for its IPs from that view on. An
 * IP this node loses in a view that brought new members is therefore answered here still, and kept local, until the
 * new owner claims it on the LAN (its gratuitous ARP or neighbour advertisement, heard through
 * {@link Announcer#onClaim}), at most {@link #HANDOVER_LIMIT}: the client is answered throughout, and by one node,
 * since the newcomer answers nothing before it announces. Measured in benchmarks/failover (handback gap).
 *
 * <p><b>A claim from outside the view.</b> When another node claims an IP this node's view elects here, the views
 * disagree (a partition the LAN still bridges, or a merge half done) and the clients went there. While that node
 * answers probes they are left with it; once it does not, the IP is announced again (see {@link #probe}).
 *
 * <p><b>Links that change.</b> Every {@link #LINK_RESCAN} the announcing interfaces are looked at (a bounded periodic
 * rescan rather than an rtnetlink subscription: a handful of interfaces, read from sysfs). One
 * that was missing when announcing started is opened once it exists; one that was removed and made again (a new
 * index: the packet socket is dead) is opened anew; one that comes back up (carrier or admin state, or a carrier
 * that went and came back between two looks) gets a burst for every IP answered here, since the switch may have
 * forgotten where this node is. Not when members left the view while the link was down: then the other side of the
 * cut took those IPs over, and only the views merging says who answers (benchmarks/failover, the flap fault).
 */
public final class AnnouncePlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AnnouncePlane.class);
    /** The longest an IP lost to a joining node is answered here while that node says nothing. */
    static final Duration HANDOVER_LIMIT = Duration.ofSeconds(10);
    /** How often the announcing interfaces are looked at for links that appear, change or come back up. */
    static final Duration LINK_RESCAN = Duration.ofSeconds(2);
    /** How long after another node's claim of an IP elected here the first probe asks whether it still answers. */
    static final Duration CONTEST_FIRST_PROBE = Duration.ofMillis(500);
    /** How long a probe waits for its answer (a LAN answers in well under a millisecond). */
    static final Duration PROBE_ANSWER_WAIT = Duration.ofMillis(300);
    /** Probes repeat this often while the other node keeps answering. */
    static final Duration CONTEST_PROBE_INTERVAL = Duration.ofSeconds(1);
    /** A claim heard this recently still counts when the view that hands the IP over arrives (a burst lasts 1 s). */
    private static final Duration RECENT_CLAIM = Duration.ofSeconds(2);

    private final Membership membership;
    private final List<String> interfaceOverride;
    private final Supplier<AddressView> addresses;
    private LocalVips localVips;
    /** Deadlines and claim notices; never runs announcer work on a receive thread (close() joins those). */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("berth-announce-plane").daemon().factory());
    private final Map<InetAddress, Long> handingOver = new HashMap<>(); // IP → deadline, System.nanoTime()
    private final Map<InetAddress, Long> lastClaimed = new HashMap<>(); // IP → when another MAC last claimed it
    /** IPs elected here that another node claimed too (see {@link #probe}). */
    private final ClaimContests contests = new ClaimContests();
    private Snapshot snapshot = Snapshot.EMPTY;
    private Announcer announcer;
    private List<String> openOn = List.of();
    private String lastFailure;
    private Set<InetAddress> disputed = Set.of();
    private Set<InetAddress> elected = Set.of();
    private Map<InetAddress, String> owners = Map.of();
    private OwnerRecords records = OwnerRecords.NONE;
    /** What this node last recorded as the owners of the Services whose first IP it owns. */
    private final Map<ServiceKey, Map<String, String>> recordedOwners = new HashMap<>();
    private Set<String> lastMembers = Set.of();
    private List<String> wanted = List.of();
    private Map<String, LinkState> links = Map.of();
    /** Interface → when a look last found it up (System.nanoTime()). */
    private final Map<String, Long> lastSeenUp = new HashMap<>();
    /** When a member last left the view, or {@code Long.MIN_VALUE}: never. */
    private long memberLeftAt = Long.MIN_VALUE;
    private boolean closed;

    /**
     * @param serveVips make the owned VIPs local, for Berth's own proxy to serve them (an appliance outside the
     *     cluster); off where something else (kube-proxy) takes the VIP's packets
     */
    public AnnouncePlane(Membership membership, List<String> interfaceOverride, Supplier<AddressView> addresses, boolean serveVips) {
        this.membership = membership;
        this.interfaceOverride = List.copyOf(interfaceOverride);
        this.addresses = addresses;
        this.localVips = serveVips ? new LocalVips() : null;
        membership.onChange(members -> {
            log.info("members {}", new TreeSet<>(members)); // who may answer, as this node sees it
            update(); // see update() for what a member that joined changes
        });
        timer.scheduleWithFixedDelay(this::rescanLinks, LINK_RESCAN.toMillis(), LINK_RESCAN.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Notes the view the plan is about to be computed from; true when it has a member the last one lacked: a node
     * starting or a partition healing. Done by every update rather than by the view listener alone, since another
     * listener of the same view (the replicated table's) may update first: whichever sees the new view first hands over.
     */
    private boolean membersJoined(Set<String> members) {
        boolean joined = !lastMembers.containsAll(members);
        if (!members.containsAll(lastMembers)) {
            lastClaimed.clear(); // claims heard before a member left may be that member's, now dead
            memberLeftAt = System.nanoTime();
        }
        lastMembers = Set.copyOf(members);
        return joined;
    }

    /** Where owners are recorded besides the admin API: the Service's event and annotation in Kubernetes mode. */
    public synchronized void recordOwnersWith(OwnerRecords records) {
        this.records = records;
    }

    /** Every announced IP's owner, as elected from the current view (the same on every node). */
    public synchronized Map<InetAddress, String> owners() {
        return owners;
    }

    /**
     * Records, off this lock (on the plane's timer thread: API calls may be slow), the IPs this node has just begun
     * to answer for, and the owners of the Services whose first IP it owns, when they changed.
     */
    private void record(AddressView view, Set<InetAddress> newlyElected) {
        OwnerRecords target = records;
        if (target == OwnerRecords.NONE) {
            return; // standalone: the admin API reads owners() itself
        }
        String self = membership.self();
        for (ServiceAddress service : view.services()) {
            if (service.ips().isEmpty()) {
                continue;
            }
            ServiceKey key = new ServiceKey(service.namespace(), service.name());
            List<InetAddress> taken = service.ips().stream().map(InetAddress::ofLiteral).filter(newlyElected::contains).toList();
            if (!taken.isEmpty()) {
                timer.execute(() -> target.nodeAssigned(key, taken));
            }
            Map<String, String> serviceOwners = OwnerRecords.ownersOf(service.ips(), owners);
            if (self.equals(serviceOwners.get(service.ips().getFirst()))) {
                if (!serviceOwners.equals(recordedOwners.put(key, serviceOwners))) {
                    timer.execute(() -> target.owners(key, serviceOwners));
                }
            } else {
                recordedOwners.remove(key); // another node writes it now; should it come back here, write again
            }
        }
    }

    /** A new configuration generation (after the address plane has reconciled it). */
    public synchronized void apply(Snapshot next) {
        snapshot = next;
        update();
    }

    /**
     * Recomputes the plan and answers for this node's share. When the view has a member the last one lacked, IPs lost
     * to it are handed over (see the class comment); and if that is a partition healing, the other side had also
     * taken over the IPs this node kept, and the LAN points there: the kept IPs are announced again in a full burst at
     * once, or their traffic would go to a node that no longer answers for them until the next refresh.
     */
    private synchronized void update() {
        if (closed) {
            return; // a deadline or a claim that arrives while stopping opens nothing again
        }
        Set<String> members = membership.members();
        boolean joined = membersJoined(members);
        if (joined) {
            contests.clear(); // the views merged and decided: the IPs kept here are announced again below
        }
        Set<InetAddress> before = owned();
        AddressView view = addresses.get(); // one view for the plan and the records, even if a reconcile lands meanwhile
        AnnouncementPlan plan = AnnouncementPlan.compute(membership.self(), members, snapshot, view);
        if (!plan.disputed().equals(disputed) && !plan.disputed().isEmpty()) {
            log.warn("{} shared by Services whose ready endpoints have no node in common (externalTrafficPolicy: Local):"
                    + " answered from a node serving only some of them", plan.disputed());
        }
        disputed = plan.disputed();
        Set<InetAddress> newlyElected = new HashSet<>(plan.owned());
        newlyElected.removeAll(elected);
        elected = plan.owned();
        contests.retainElected(elected); // lost to another node meanwhile: its claim is no contest
        owners = plan.owners();
        record(view, newlyElected);
        List<String> interfaces = !interfaceOverride.isEmpty() ? interfaceOverride : plan.interfaces();
        wanted = plan.owned().isEmpty() && announcer == null ? List.of() : interfaces;
        if (interfaces.isEmpty() || (plan.owned().isEmpty() && announcer == null)) {
            if (!plan.owned().isEmpty() && !"no interface".equals(lastFailure)) {
                log.warn("{} would be answered for, but no interface is named (expected: --interface, or interfaces in the L2Advertisement)",
                        plan.owned());
                lastFailure = "no interface";
            }
            closeAnnouncer();
            return;
        }
        if (!interfaces.equals(openOn)) {
            closeAnnouncer();
            try {
                announcer = Announcer.open(interfaces, AnnouncerSettings.defaults());
                links = Map.of();
                announcer.onClaim(ip -> {
                    try {
                        timer.execute(() -> claimed(ip));
                    } catch (RejectedExecutionException stopping) {
                        // close() has begun: nothing is handed over any more
                    }
                });
                openOn = interfaces;
                lastFailure = null;
                log.info("announcing on {}", interfaces);
            } catch (IOException | RuntimeException e) {
                if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                    log.error("cannot announce on {}: {} (LoadBalancer IPs of this node are not answered for)", interfaces, e.getMessage());
                    lastFailure = String.valueOf(e.getMessage());
                }
                return;
            }
        }
        Set<InetAddress> answered = answered(plan.owned(), joined);
        if (localVips != null) {
            localVips.reconcile(answered, snapshot, interfaces); // local before announced: no packet is refused
        }
        if (!answered.equals(announcer.owned())) {
            log.info("answering for {} of members {}{}", answered, members,
                    handingOver.isEmpty() ? "" : " (handing over " + handingOver.keySet() + ")");
        }
        announcer.announce(answered);
        if (joined) {
            Set<InetAddress> kept = new HashSet<>(before);
            kept.retainAll(elected);
            announcer.reannounce(kept);
        }
    }

    /** What to answer for: the elected IPs, and those still being handed over to a node that joined. */
    private Set<InetAddress> answered(Set<InetAddress> elected, boolean joined) {
        long now = System.nanoTime();
        lastClaimed.values().removeIf(at -> now - at > RECENT_CLAIM.toNanos());
        if (joined) {
            for (InetAddress ip : announcer.owned()) {
                if (!elected.contains(ip) && !lastClaimed.containsKey(ip) && !handingOver.containsKey(ip)) {
                    handingOver.put(ip, now + HANDOVER_LIMIT.toNanos());
                    timer.schedule(this::update, HANDOVER_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
        handingOver.keySet().removeIf(elected::contains);
        handingOver.entrySet().removeIf(entry -> {
            boolean expired = entry.getValue() - now <= 0;
            if (expired) {
                log.warn("{} was not announced by its new owner within {} s; no longer answered here",
                        entry.getKey().getHostAddress(), HANDOVER_LIMIT.toSeconds());
            }
            return expired;
        });
        Set<InetAddress> answered = new HashSet<>(elected);
        answered.addAll(handingOver.keySet());
        return answered;
    }

    /**
     * One look at an interface in sysfs, which shows it whether it is up or down: its index (a new one means it was
     * made again), whether it is up with a carrier, and how often its carrier has come and gone since it was made: a
     * cut shorter than {@link #LINK_RESCAN} is seen by that count though both looks find the link up.
     */
    private record LinkState(int index, boolean up, long carrierChanges) {
        static final LinkState MISSING = new LinkState(0, false, 0);

        static LinkState of(String name) {
            Path link = Path.of("/sys/class/net", name);
            try {
                int index = Integer.parseInt(Files.readString(link.resolve("ifindex")).strip());
                String operstate = Files.readString(link.resolve("operstate")).strip();
                return new LinkState(index, operstate.equals("up") || operstate.equals("unknown"), carrierChanges(link));
            } catch (IOException | NumberFormatException e) {
                return MISSING;
            }
        }

        private static long carrierChanges(Path link) {
            try {
                return Long.parseLong(Files.readString(link.resolve("carrier_changes")).strip());
            } catch (IOException | NumberFormatException e) {
                return 0; // kernels before 3.15 lack the count: only cuts that a look sees are noticed
            }
        }

        /** Up now, and down at {@code before} or down and up again since: the LAN may have learnt another node. */
        boolean cameUpSince(LinkState before) {
            return up && (!before.up || carrierChanges != before.carrierChanges);
        }
    }

    /** The periodic look at the announcing interfaces (see the class comment), on the timer thread. */
    private synchronized void rescanLinks() {
        if (closed || wanted.isEmpty()) {
            return;
        }
        Map<String, LinkState> now = new HashMap<>();
        wanted.forEach(name -> now.put(name, LinkState.of(name)));
        Map<String, LinkState> before = links;
        links = Map.copyOf(now);
        long lookedAt = System.nanoTime();
        Map<String, Long> seenUpBefore = Map.copyOf(lastSeenUp);
        now.forEach((name, state) -> {
            if (state.up()) {
                lastSeenUp.put(name, lookedAt);
            }
        });
        if (now.equals(before)) {
            return;
        }
        if (announcer == null) {
            if (lastFailure != null) {
                log.info("interfaces {} changed; trying to announce on them again", wanted);
                update();
            }
            return;
        }
        if (before.isEmpty()) {
            return; // the first look since the announcer opened: nothing to compare with
        }
        boolean remade = wanted.stream().anyMatch(name -> now.get(name).index() != before.getOrDefault(name, LinkState.MISSING).index());
        if (remade) {
            log.info("interfaces {} were removed or made again; announcing on them anew", wanted);
            closeAnnouncer();
            if (localVips != null) {
                localVips = new LocalVips(); // a new interface has the default ARP sysctls again: set them again
            }
            update();
            return;
        }
        List<String> cameUp = wanted.stream().filter(name -> now.get(name).cameUpSince(before.getOrDefault(name, LinkState.MISSING))).toList();
        if (cameUp.isEmpty()) {
            return;
        }
        if (cameUp.stream().anyMatch(name -> memberLeftSince(seenUpBefore.get(name)))) {
            // The other side of this cut took our IPs over and the LAN points there; announcing now, alone, would pull
            // the clients to a node that the membership does not see, and if this link failed again before the views
            // merge, nobody would tell them to go back. The merge decides, and announces the IPs kept here.
            log.info("{} came up after members left the view; the views merging will say who answers", cameUp);
            return;
        }
        log.info("{} came up; announcing {} again", cameUp, elected);
        announcer.reannounce(elected);
    }

    /** Whether a member has left the view since {@code seenUp} (a look that found a link up; null: none did). */
    private boolean memberLeftSince(Long seenUp) {
        return memberLeftAt != Long.MIN_VALUE && (seenUp == null || memberLeftAt - seenUp > 0);
    }

    /**
     * Another node announced {@code ip} or answered a probe for it (on the timer thread): a hand-over of it is
     * complete; or, if this node's view elects it here, the LAN now points to a node outside that view (see
     * {@link #probe}).
     */
    private synchronized void claimed(InetAddress ip) {
        long now = System.nanoTime();
        lastClaimed.put(ip, now);
        if (handingOver.remove(ip) != null) {
            log.info("{} is announced by its new owner; handed over", ip.getHostAddress());
            update();
        } else if (contests.claimed(ip, elected.contains(ip), now) && !closed) {
            log.info("{} is elected here but claimed by another node, outside this node's view; checking that it still answers",
                    ip.getHostAddress());
            timer.schedule(() -> probe(ip), CONTEST_FIRST_PROBE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The contest for an IP elected here that another node claimed: the two views disagree (a partition whose other
     * side the LAN hears, or views still merging) and the clients went to the other node. While that node answers the
     * probe, leave them there: the merge decides, and announcing against it would move the clients back and forth.
     * Once it does not, it is gone, and no view change will tell this node (it never was in the view): announce the
     * IP again, or the clients keep a dead MAC until their neighbour entries go stale (measured: 5-25 s).
     */
    private synchronized void probe(InetAddress ip) {
        if (closed || announcer == null || !elected.contains(ip)) {
            return; // the contest ended with the announcer or the election (retainElected, clear)
        }
        contests.probeSent(ip, System.nanoTime()).ifPresent(sentAt -> {
            announcer.probe(ip);
            timer.schedule(() -> probeAnswered(ip, sentAt), PROBE_ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private synchronized void probeAnswered(InetAddress ip, long sentAt) {
        if (closed || announcer == null) {
            return;
        }
        switch (contests.afterProbe(ip, sentAt)) {
            case STILL_ANSWERED -> timer.schedule(() -> probe(ip), CONTEST_PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            case GONE -> {
                log.warn("{} was claimed by another node that no longer answers for it; announcing it again", ip.getHostAddress());
                announcer.reannounce(Set.of(ip));
            }
            case OVER -> { } // the IP went to another node, or the views merged: nothing to contest
        }
    }

    private void closeAnnouncer() {
        if (announcer != null) {
            announcer.close();
            announcer = null;
            openOn = List.of();
            handingOver.clear();
            contests.clear();
        }
    }

    /** The IPs this node answers for now. */
    public synchronized Set<InetAddress> owned() {
        return announcer == null ? Set.of() : announcer.owned();
    }

    @Override
    public synchronized void close() {
        closed = true;
        timer.shutdownNow();
        if (localVips != null) {
            localVips.clear(snapshot); // a clean stop hands the VIPs over at once
        }
        closeAnnouncer();
        membership.close();
    }
}
