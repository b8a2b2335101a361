package dev.berth.l2.membership;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.TCPPING;
import org.jgroups.util.Responses;

/**
 * Static discovery whose list is asked for anew on every discovery round: the joining round and every round MERGE3
 * runs to find split-off members. Fed by the appliance from the Kubernetes API (the pods of Berth's DaemonSet), so
 * a node that starts later, or comes back with a new pod IP, is found without restarting the others. Everything
 * else is TCPPING's: unicast discovery requests to each address, on exactly the given port.
 */
final class ChangingPeersPing extends TCPPING {

    /** A protocol that puts headers on messages needs an id of its own; JGroups keeps its own below 1000. */
    private static final short ID = 2780;

    static {
        ClassConfigurator.addProtocol(ID, ChangingPeersPing.class);
    }

    private final Supplier<? extends Collection<InetSocketAddress>> peers;

    ChangingPeersPing(Supplier<? extends Collection<InetSocketAddress>> peers) {
        this.peers = peers;
        setInitialHosts(List.of());
        // Only the ports given: probing neighbouring ports would knock on unrelated services.
        setPortRange(0);
    }

    @Override
    public void findMembers(List<Address> members, boolean initialDiscovery, Responses responses) {
        setInitialHosts(List.copyOf(peers.get()));
        super.findMembers(members, initialDiscovery, responses);
    }
}
