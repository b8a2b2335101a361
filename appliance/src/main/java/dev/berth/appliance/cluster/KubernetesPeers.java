package dev.berth.appliance.cluster;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Kubernetes mode's membership discovery: the pods of Berth's DaemonSet (those matching {@code --peer-selector} in
 * Berth's namespace), from a fabric8 informer, as the addresses JGroups asks at every discovery round
 * ({@link dev.berth.l2.membership.JGroupsMembership#start(dev.berth.l2.membership.MembershipSettings, Supplier)}). A
 * watch rather than a list per round: a round reads the informer's cache, so discovery costs the API server nothing
 * more when membership churns. Needs {@code pods: list, watch} in that namespace (deploy/rbac.yaml).
 *
 * <p>Chosen over jgroups-kubernetes' KUBE_PING: that one does its own HTTP with the pod's service-account token, so
 * it cannot follow {@code --kubeconfig} (a node run outside the cluster) and would be a second client to configure;
 * here the one fabric8 client serves the source, the Lease, status and discovery alike.
 */
public final class KubernetesPeers implements Supplier<List<InetSocketAddress>>, AutoCloseable {

    /** What Berth's DaemonSet labels its pods with (deploy/). */
    public static final String DEFAULT_SELECTOR = "app.kubernetes.io/name=berth";

    private final SharedIndexInformer<Pod> pods;
    private final int port;
    private final boolean ipv4;

    private KubernetesPeers(SharedIndexInformer<Pod> pods, int port, boolean ipv4) {
        this.pods = pods;
        this.port = port;
        this.ipv4 = ipv4;
    }

    /**
     * Starts watching and returns once the first list arrived.
     *
     * @param port the cluster port every node listens on ({@code --cluster-bind}'s)
     * @param family an address of the family to use (the bind address): a pod's other family is left out
     */
    public static KubernetesPeers start(KubernetesClient client, String namespace, Map<String, String> selector, int port,
            InetAddress family) {
        requireNonNull(client, "client");
        try {
            SharedIndexInformer<Pod> informer = client.pods().inNamespace(namespace).withLabels(selector).inform();
            return new KubernetesPeers(informer, port, family instanceof Inet4Address);
        } catch (KubernetesClientException e) {
            String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            throw new IllegalArgumentException("--peer-selector: cannot watch the pods of namespace " + namespace + " (" + reason
                    + "; expected: pods get/list/watch there for Berth's service account, deploy/rbac.yaml)");
        }
    }

    /** The peers listed now: each live pod's IP of the bind family, on the cluster port; sorted, no duplicates. */
    @Override
    public List<InetSocketAddress> get() {
        Set<String> addresses = new TreeSet<>();
        for (Pod pod : pods.getStore().list()) {
            if (live(pod)) {
                ips(pod).filter(ip -> (ip instanceof Inet4Address) == ipv4).forEach(ip -> addresses.add(ip.getHostAddress()));
            }
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        addresses.forEach(address -> peers.add(new InetSocketAddress(InetAddress.ofLiteral(address), port)));
        return peers;
    }

    /** Running or about to: a finished or deleted pod's IP may already belong to another pod. */
    private static boolean live(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
            return false;
        }
        String phase = pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    private static Stream<InetAddress> ips(Pod pod) {
        List<String> texts = new ArrayList<>();
        if (pod.getStatus().getPodIPs() != null) {
            pod.getStatus().getPodIPs().stream().map(PodIP::getIp).forEach(texts::add);
        }
        if (pod.getStatus().getPodIP() != null) {
            texts.add(pod.getStatus().getPodIP());
        }
        return texts.stream().distinct().flatMap(text -> {
            try {
                return Stream.of(InetAddress.ofLiteral(text));
            } catch (IllegalArgumentException e) {
                return Stream.empty(); // not an address: nothing to contact
            }
        });
    }

    /**
     * Parses {@code KEY=VALUE[,KEY=VALUE]}, the equality-only label selector a DaemonSet's pods are matched by.
     *
     * @throws IllegalArgumentException naming {@code --peer-selector} and the bad part
     */
    public static Map<String, String> parseSelector(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int equals = part.indexOf('=');
            if (equals <= 0 || equals == part.length() - 1 || part.indexOf('=', equals + 1) >= 0) {
                throw new IllegalArgumentException("--peer-selector " + text + ": '" + part
                        + "' (expected: KEY=VALUE[,KEY=VALUE], e.g. " + DEFAULT_SELECTOR + ")");
            }
            labels.put(part.substring(0, equals).strip(), part.substring(equals + 1).strip());
        }
        return labels;
    }

    @Override
    public void close() {
        pods.close();
    }
}
