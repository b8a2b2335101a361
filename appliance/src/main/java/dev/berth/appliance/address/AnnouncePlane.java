package dev.berth.appliance.address;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.announce.Announcer;
import dev.berth.l2.announce.AnnouncerSettings;
import dev.berth.l2.membership.Membership;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
 */
public final class AnnouncePlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AnnouncePlane.class);

    private final Membership membership;
    private final List<String> interfaceOverride;
    private final Supplier<AddressView> addresses;
    private final LocalVips localVips;
    private Snapshot snapshot = Snapshot.EMPTY;
    private Announcer announcer;
    private List<String> openOn = List.of();
    private String lastFailure;
    private Set<InetAddress> disputed = Set.of();
    private Set<String> lastMembers = Set.of();

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
            viewChanged(members);
        });
    }

    /**
     * A view with a member the last one lacked is a node starting or a partition healing. In the second case the
     * other side took over the IPs this node kept, and the LAN points there: the kept IPs are announced again in a
     * full burst at once, or their traffic would go to a node that no longer answers for them until the next refresh.
     */
    private synchronized void viewChanged(Set<String> members) {
        boolean joined = !lastMembers.containsAll(members);
        lastMembers = Set.copyOf(members);
        Set<InetAddress> before = owned();
        update();
        if (joined && announcer != null) {
            Set<InetAddress> kept = new HashSet<>(before);
            kept.retainAll(announcer.owned());
            announcer.reannounce(kept);
        }
    }

    /** A new configuration generation (after the address plane has reconciled it). */
    public synchronized void apply(Snapshot next) {
        snapshot = next;
        update();
    }

    private synchronized void update() {
        AnnouncementPlan plan = AnnouncementPlan.compute(membership.self(), membership.members(), snapshot, addresses.get());
        if (!plan.disputed().equals(disputed) && !plan.disputed().isEmpty()) {
            log.warn("{} shared by Services whose ready endpoints have no node in common (externalTrafficPolicy: Local):"
                    + " answered from a node serving only some of them", plan.disputed());
        }
        disputed = plan.disputed();
        List<String> interfaces = !interfaceOverride.isEmpty() ? interfaceOverride : plan.interfaces();
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
        if (localVips != null) {
            localVips.reconcile(plan.owned(), snapshot, interfaces); // local before announced: no packet is refused
        }
        if (!plan.owned().equals(announcer.owned())) {
            log.info("answering for {} of members {}", plan.owned(), membership.members());
        }
        announcer.announce(plan.owned());
    }

    private void closeAnnouncer() {
        if (announcer != null) {
            announcer.close();
            announcer = null;
            openOn = List.of();
        }
    }

    /** The IPs this node answers for now. */
    public synchronized Set<InetAddress> owned() {
        return announcer == null ? Set.of() : announcer.owned();
    }

    @Override
    public synchronized void close() {
        if (localVips != null) {
            localVips.clear(snapshot); // a clean stop hands the VIPs over at once
        }
        closeAnnouncer();
        membership.close();
    }
}
