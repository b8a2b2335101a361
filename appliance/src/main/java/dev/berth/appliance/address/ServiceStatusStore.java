package dev.berth.appliance.address;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import dev.berth.l2.pool.IpText;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes mode's record of allocations: each Service's {@code status.loadBalancer.ingress} (written through
 * the status subresource) plus the annotation {@code berth.dev/allocated-from-pool}, as MetalLB does. At start
 * the record is read back from the Services themselves. A write that fails is retried at the next generation.
 */
public final class ServiceStatusStore implements AllocationStore {
    private static final Logger log = LoggerFactory.getLogger(ServiceStatusStore.class);

    private final KubernetesClient client;
    /** What each Service's status says now, as far as this process knows. */
    private final Map<ServiceKey, List<String>> recorded = new HashMap<>();
    /** The Services whose record this process keeps (allocated at the last save); only theirs may be cleared. */
    private Set<ServiceKey> kept = Set.of();

    public ServiceStatusStore(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Map<ServiceKey, List<InetAddress>> load(Snapshot snapshot) {
        Map<ServiceKey, List<InetAddress>> loaded = new HashMap<>();
        for (Service service : snapshot.services()) {
            List<String> ips = ingressIps(service);
            if (!ips.isEmpty()) {
                ServiceKey key = new ServiceKey(service.getMetadata().getNamespace(), service.getMetadata().getName());
                recorded.put(key, ips);
                loaded.put(key, ips.stream().map(InetAddress::ofLiteral).toList());
            }
        }
        return loaded;
    }

    private static List<String> ingressIps(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return service.getStatus().getLoadBalancer().getIngress().stream()
                .map(LoadBalancerIngress::getIp)
                .filter(ip -> ip != null && !ip.isEmpty())
                .toList();
    }

    @Override
    public void save(List<Allocation> allocations) {
        Set<ServiceKey> current = new HashSet<>();
        for (Allocation allocation : allocations) {
            current.add(allocation.service());
            List<String> ips = allocation.ips().stream().map(IpText::of).toList();
            if (!ips.equals(recorded.get(allocation.service()))) {
                write(allocation.service(), ips, allocation.pool());
            }
        }
        for (ServiceKey released : kept) {
            if (!current.contains(released) && recorded.containsKey(released)) {
                write(released, List.of(), null); // a record it does not keep (a conflict) is never touched
            }
        }
        kept = current;
    }

    private void write(ServiceKey key, List<String> ips, String pool) {
        var resource = client.services().inNamespace(key.namespace()).withName(key.name());
        try {
            if (resource.get() == null) {
                recorded.remove(key); // deleted meanwhile: nothing to record on
                return;
            }
            resource.edit(service -> {
                var annotations = service.getMetadata().getAnnotations() == null ? new HashMap<String, String>()
                        : new HashMap<>(service.getMetadata().getAnnotations());
                if (pool == null) {
                    annotations.remove(Annotations.ALLOCATED_FROM_POOL);
                } else {
                    annotations.put(Annotations.ALLOCATED_FROM_POOL, pool);
                }
                service.getMetadata().setAnnotations(annotations);
                return service;
            });
            resource.editStatus(service -> {
                List<LoadBalancerIngress> ingress = ips.stream().map(ip -> new LoadBalancerIngressBuilder().withIp(ip).build()).toList();
                service.setStatus(new ServiceStatusBuilder(service.getStatus())
                        .withLoadBalancer(new LoadBalancerStatusBuilder().withIngress(ingress).build())
                        .build());
                return service;
            });
            if (ips.isEmpty()) {
                recorded.remove(key);
            } else {
                recorded.put(key, ips);
            }
        } catch (KubernetesClientException e) {
            log.warn("cannot record {} on Service {} ({}); retrying at the next change", ips, key, e.getMessage());
        }
    }
}
