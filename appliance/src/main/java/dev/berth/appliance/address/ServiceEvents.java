package dev.berth.appliance.address;

import dev.berth.l2.allocator.ServiceKey;
import dev.berth.l2.pool.IpText;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events on Services ({@code kubectl describe service} shows them): IPAllocated, AllocationFailed, IPReleased,
 * reported by component {@code berth-allocator}. An event that cannot be written is logged and dropped: events
 * are advice, allocations are not held up for them.
 */
public final class ServiceEvents implements AddressEvents {
    private static final Logger log = LoggerFactory.getLogger(ServiceEvents.class);

    private final KubernetesClient client;
    private final String node;
    private final Clock clock;

    public ServiceEvents(KubernetesClient client, String node, Clock clock) {
        this.client = client;
        this.node = node;
        this.clock = clock;
    }

    @Override
    public void allocated(ServiceKey service, List<InetAddress> ips, String pool) {
        record(service, "Normal", "IPAllocated", "Assigned IP " + text(ips) + " from pool " + pool);
    }

    @Override
    public void failed(ServiceKey service, String problem) {
        record(service, "Warning", "AllocationFailed", problem);
    }

    @Override
    public void released(ServiceKey service, List<InetAddress> ips, String reason) {
        record(service, "Normal", "IPReleased", "Released IP " + text(ips) + ": " + reason);
    }

    /** This node answers ARP/NDP for {@code ips} of the Service from now on (MetalLB's speaker event, same wording). */
    public void nodeAssigned(ServiceKey service, List<InetAddress> ips) {
        record(service, "Normal", "nodeAssigned", "announcing " + text(ips) + " from node \"" + node + "\" with protocol \"layer2\"",
                "berth-speaker");
    }

    private static String text(List<InetAddress> ips) {
        return ips.stream().map(IpText::of).collect(Collectors.joining(", "));
    }

    private void record(ServiceKey service, String type, String reason, String message) {
        record(service, type, reason, message, "berth-allocator");
    }

    /** @param component who speaks: {@code berth-allocator} for allocations, {@code berth-speaker} for announcing */
    private void record(ServiceKey service, String type, String reason, String message, String component) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        try {
            client.v1().events().inNamespace(service.namespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(service.name() + "." + UUID.randomUUID().toString().substring(0, 8))
                    .withNamespace(service.namespace()).endMetadata()
                    .withNewInvolvedObject().withApiVersion("v1").withKind("Service")
                    .withNamespace(service.namespace()).withName(service.name()).endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent(component).withHost(node).endSource()
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
        } catch (KubernetesClientException e) {
            log.debug("event {} on {} not recorded: {}", reason, service, e.getMessage());
        }
    }
}
