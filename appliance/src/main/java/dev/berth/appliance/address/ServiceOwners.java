package dev.berth.appliance.address;

import dev.berth.l2.allocator.ServiceKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OwnerRecords} in Kubernetes: the {@code nodeAssigned} event and the {@code berth.dev/announcing-nodes}
 * annotation (a JSON merge patch of that one key, so nothing else on the Service is touched). Records are advice, as
 * events are: a failed write is logged at debug and announcing goes on.
 */
public final class ServiceOwners implements OwnerRecords {
    public static final String ANNOTATION = "berth.dev/announcing-nodes";
    private static final Logger log = LoggerFactory.getLogger(ServiceOwners.class);

    private final KubernetesClient client;
    private final ServiceEvents events;

    public ServiceOwners(KubernetesClient client, ServiceEvents events) {
        this.client = client;
        this.events = events;
    }

    @Override
    public void nodeAssigned(ServiceKey service, List<InetAddress> ips) {
        events.nodeAssigned(service, ips);
    }

    @Override
    public void owners(ServiceKey service, Map<String, String> owners) {
        String value = owners.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        String patch = "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":" + (value.isEmpty() ? "null" : "\"" + value + "\"") + "}}}";
        try {
            client.services().inNamespace(service.namespace()).withName(service.name())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            log.debug("annotation {} on {} not written: {}", ANNOTATION, service, e.getMessage());
        }
    }
}
