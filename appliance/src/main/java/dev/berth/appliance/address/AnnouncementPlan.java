package dev.berth.appliance.address;

import dev.berth.appliance.crd.IPAddressPool;
import dev.berth.appliance.crd.L2Advertisement;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.LabelSelector;
import dev.berth.l2.election.Election;
import io.fabric8.kubernetes.api.model.Node;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which allocated IPs this node answers ARP/NDP for, and on which interfaces (pure; MetalLB's layer-2 rules).
 * An IP is announced only if an L2Advertisement selects its pool (no advertisement, no announcement); the nodes
 * eligible for it are the live members that the advertisement's {@code nodeSelectors} select and whose Node, when
 * the Snapshot has one, is not NotReady; among them, rendezvous hashing picks the one owner ({@link Election}), so
 * every node computes the same answer from the same view without talking. A member without a Node object (usual
 * standalone) is matched by its {@code kubernetes.io/hostname} label only.
 *
 * @param owned the IPs this node answers for
 * @param interfaces the interfaces named by the advertisements that select this node's IPs; empty means "choose"
 */
public record AnnouncementPlan(Set<InetAddress> owned, List<String> interfaces) {
    static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

    public AnnouncementPlan {
        owned = Set.copyOf(owned);
        interfaces = List.copyOf(interfaces);
    }

    public static AnnouncementPlan compute(String self, Set<String> members, Snapshot snapshot, AddressView addresses) {
        Map<String, Node> nodes = new HashMap<>();
        snapshot.nodes().forEach(node -> nodes.put(node.getMetadata().getName(), node));
        Map<InetAddress, Set<String>> eligible = new HashMap<>();
        Set<String> interfaces = new TreeSet<>();
        for (ServiceAddress service : addresses.services()) {
            if (service.pool() == null || service.ips().isEmpty()) {
                continue;
            }
            for (L2Advertisement advertisement : snapshot.l2Advertisements()) {
                if (!advertises(advertisement, service.pool(), snapshot)) {
                    continue;
                }
                Set<String> selected = new LinkedHashSet<>();
                for (String member : members) {
                    if (selects(advertisement, nodes.get(member), member) && ready(nodes.get(member))) {
                        selected.add(member);
                    }
                }
                for (String ip : service.ips()) {
                    eligible.computeIfAbsent(InetAddress.ofLiteral(ip), key -> new TreeSet<>()).addAll(selected);
                }
                if (selected.contains(self) && advertisement.getSpec() != null) {
                    interfaces.addAll(advertisement.getSpec().interfaces());
                }
            }
        }
        return new AnnouncementPlan(Election.ownedBy(self, eligible), List.copyOf(interfaces));
    }

    private static boolean advertises(L2Advertisement advertisement, String pool, Snapshot snapshot) {
        var spec = advertisement.getSpec();
        if (spec == null || (spec.ipAddressPools().isEmpty() && spec.ipAddressPoolSelectors().isEmpty())) {
            return true; // MetalLB: an advertisement that names no pool advertises them all
        }
        if (spec.ipAddressPools().contains(pool)) {
            return true;
        }
        for (IPAddressPool candidate : snapshot.ipAddressPools()) {
            if (candidate.getMetadata().getName().equals(pool)) {
                Map<String, String> labels = candidate.getMetadata().getLabels() == null ? Map.of() : candidate.getMetadata().getLabels();
                return spec.ipAddressPoolSelectors().stream().map(Pools::of).anyMatch(selector -> selector.matches(labels));
            }
        }
        return false;
    }

    private static boolean selects(L2Advertisement advertisement, Node node, String member) {
        var spec = advertisement.getSpec();
        if (spec == null || spec.nodeSelectors().isEmpty()) {
            return true;
        }
        Map<String, String> labels = new HashMap<>();
        if (node != null && node.getMetadata().getLabels() != null) {
            labels.putAll(node.getMetadata().getLabels());
        }
        labels.putIfAbsent(HOSTNAME_LABEL, member);
        return spec.nodeSelectors().stream().map(Pools::of).anyMatch((LabelSelector selector) -> selector.matches(labels));
    }

    /** A Node that says it is not Ready must not answer; no Node object (standalone) says nothing against it. */
    private static boolean ready(Node node) {
        if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
            return true;
        }
        return node.getStatus().getConditions().stream()
                .filter(condition -> "Ready".equals(condition.getType()))
                .allMatch(condition -> "True".equals(condition.getStatus()));
    }
}
