package dev.berth.appliance.validation;

import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * EndpointSlice: the address type is known, every address is a literal of that type, ports are in range.
 * Standalone manifests are hand-written, so these mistakes are likely; a malformed slice is held back.
 * A slice that names no Service is applied and reported: nothing routes to it.
 */
final class EndpointSliceRules implements Validator.Rules {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    @Override
    public void check(Snapshot snapshot, Problems problems) {
        for (EndpointSlice slice : snapshot.endpointSlices()) {
            ObjectRef ref = ObjectRef.of(Kind.ENDPOINT_SLICE, slice);
            Map<String, String> labels = slice.getMetadata().getLabels();
            if (labels == null || labels.get(SERVICE_NAME_LABEL) == null) {
                problems.add(ref, "metadata.labels[" + SERVICE_NAME_LABEL + "]",
                        "missing, so no Service uses this slice (expected: the name of its Service)", Effect.WARNS);
            }
            String type = slice.getAddressType();
            if (!"IPv4".equals(type) && !"IPv6".equals(type) && !"FQDN".equals(type)) {
                problems.add(ref, "addressType", "'" + type + "' (expected: IPv4, IPv6 or FQDN)", Effect.HOLDS_OBJECT);
                continue;
            }
            checkEndpoints(slice.getEndpoints() == null ? List.of() : slice.getEndpoints(), type, ref, problems);
            List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
            for (int i = 0; i < ports.size(); i++) {
                Integer port = ports.get(i).getPort();
                if (port != null && (port < 1 || port > 65535)) {
                    problems.add(ref, "ports[" + i + "].port", port + " (expected: 1..65535)", Effect.HOLDS_OBJECT);
                }
            }
        }
    }

    private static void checkEndpoints(List<Endpoint> endpoints, String type, ObjectRef ref, Problems problems) {
        if (type.equals("FQDN")) {
            return;
        }
        for (int i = 0; i < endpoints.size(); i++) {
            List<String> addresses = endpoints.get(i).getAddresses() == null ? List.of() : endpoints.get(i).getAddresses();
            if (addresses.isEmpty()) {
                problems.add(ref, "endpoints[" + i + "].addresses", "empty (expected: at least one " + type + " address)",
                        Effect.HOLDS_OBJECT);
            }
            for (int j = 0; j < addresses.size(); j++) {
                String address = addresses.get(j);
                if (!isLiteralOf(type, address)) {
                    problems.add(ref, "endpoints[" + i + "].addresses[" + j + "]",
                            "'" + address + "' (expected: an " + type + " address, as addressType says)", Effect.HOLDS_OBJECT);
                }
            }
        }
    }

    private static boolean isLiteralOf(String type, String address) {
        try {
            InetAddress parsed = InetAddress.ofLiteral(address);
            return (parsed instanceof Inet4Address) == type.equals("IPv4");
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
