package dev.berth.appliance.address;

import dev.berth.appliance.crd.IPAddressPool;
import dev.berth.appliance.crd.L2Advertisement;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.LabelSelector;
import dev.berth.l2.election.Election;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * <p><b>externalTrafficPolicy: Local</b> narrows a Service's eligible nodes to those holding one of its ready
 * endpoints: the {@code nodeName} of a ready endpoint (no {@code ready} condition counts as ready, as the API says)
 * in the Service's EndpointSlices. Traffic for such a Service must not cross to another node, so its IP belongs
 * where an endpoint is; with no ready endpoint on a live member, nobody announces it (MetalLB does the same). In
 * standalone mode the hand-written EndpointSlice's {@code nodeName} is how a user says on which node the
 * endpoint lives.
 *
 * <p><b>A shared IP</b> has one owner for all the Services on it. Its eligible nodes are those eligible for every
 * one of them (Services with no eligible node at all, such as a Local one without ready endpoints, cannot be served
 * anywhere and do not narrow the choice). The allocator lets Local Services share only with the same selector, so
 * their endpoints normally sit on the same nodes; when they still have no node in common (hand-written standalone
 * slices, or a rollout in flight), the IP is {@link #disputed}: it goes to a node that holds endpoints of at least
 * one of them, chosen by the same ranking among all such nodes, so it stays answered and one node keeps it. A
 * Service whose endpoints are elsewhere then gets no traffic through that IP until its endpoints and the others'
 * meet on a node again.
 *
 * @param owned the IPs this node answers for
 * @param interfaces the interfaces named by the advertisements that select this node's IPs; empty means "choose"
 * @param disputed shared IPs whose Services have no eligible node in common (the same on every node)
 * @param owners every announced IP's owner, as every node computes it from the same view ({@code /api/services})
 */
public record AnnouncementPlan(Set<InetAddress> owned, List<String> interfaces, Set<InetAddress> disputed,
        Map<InetAddress, String> owners) {
    static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    public AnnouncementPlan {
        owned = Set.copyOf(owned);
        interfaces = List.copyOf(interfaces);
        disputed = Set.copyOf(disputed);
        owners = Map.copyOf(owners);
    }

    public static AnnouncementPlan compute(String self, Set<String> members, Snapshot snapshot, AddressView addresses) {
        Map<String, Node> nodes = new HashMap<>();
        snapshot.nodes().forEach(node -> nodes.put(node.getMetadata().getName(), node));
        Map<String, Service> services = new HashMap<>();
        snapshot.services().forEach(service -> services.put(key(service.getMetadata().getNamespace(), service.getMetadata().getName()), service));
        Map<String, Set<String>> endpointNodes = readyEndpointNodes(snapshot);
        Map<InetAddress, List<Set<String>>> eligiblePerService = new LinkedHashMap<>();
        Set<String> interfaces = new TreeSet<>();
        for (ServiceAddress address : addresses.services()) {
            if (address.pool() == null || address.ips().isEmpty()) {
                continue;
            }
            Set<String> eligible = new TreeSet<>();
            for (L2Advertisement advertisement : snapshot.l2Advertisements()) {
                if (!advertises(advertisement, address.pool(), snapshot)) {
                    continue;
                }
                Set<String> selected = new LinkedHashSet<>();
                for (String member : members) {
                    if (selects(advertisement, nodes.get(member), member) && ready(nodes.get(member))) {
                        selected.add(member);
                    }
                }
                eligible.addAll(selected);
                if (selected.contains(self) && advertisement.getSpec() != null) {
                    interfaces.addAll(advertisement.getSpec().interfaces());
                }
            }
            String key = key(address.namespace(), address.name());
            if (trafficStaysLocal(services.get(key))) {
                eligible.retainAll(endpointNodes.getOrDefault(key, Set.of()));
            }
            for (String ip : address.ips()) {
                eligiblePerService.computeIfAbsent(InetAddress.ofLiteral(ip), k -> new ArrayList<>()).add(eligible);
            }
        }
        Map<InetAddress, Set<String>> eligiblePerIp = new LinkedHashMap<>();
        Set<InetAddress> disputed = new LinkedHashSet<>();
        eligiblePerService.forEach((ip, perService) -> {
            Set<String> common = null;
            Set<String> any = new TreeSet<>();
            for (Set<String> eligible : perService) {
                if (eligible.isEmpty()) {
                    continue; // a Service that cannot be served anywhere does not narrow the others
                }
                any.addAll(eligible);
                if (common == null) {
                    common = new TreeSet<>(eligible);
                } else {
                    common.retainAll(eligible);
                }
            }
            if (common != null && common.isEmpty()) {
                disputed.add(ip);
                common = any;
            }
            eligiblePerIp.put(ip, common == null ? Set.of() : common);
        });
        return new AnnouncementPlan(Election.ownedBy(self, eligiblePerIp), List.copyOf(interfaces), disputed,
                Election.owners(eligiblePerIp));
    }

    private static boolean trafficStaysLocal(Service service) {
        return service != null && service.getSpec() != null && "Local".equals(service.getSpec().getExternalTrafficPolicy());
    }

    /** Per Service (namespace/name), the nodes named by its ready endpoints. */
    private static Map<String, Set<String>> readyEndpointNodes(Snapshot snapshot) {
        Map<String, Set<String>> nodes = new HashMap<>();
        for (EndpointSlice slice : snapshot.endpointSlices()) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (service == null || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                boolean ready = endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                if (ready && endpoint.getNodeName() != null) {
                    nodes.computeIfAbsent(key(slice.getMetadata().getNamespace(), service), k -> new TreeSet<>()).add(endpoint.getNodeName());
                }
            }
        }
        return nodes;
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
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
