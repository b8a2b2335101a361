package dev.berth.appliance.translate;

import dev.berth.proxy.config.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The endpoints of one Service port, from that Service's EndpointSlices, chosen as kube-proxy chooses them:
 * the slice port whose name is the Service port's name gives the port number (so {@code targetPort}, named or
 * not, never needs resolving here: the slice already holds the result); ready endpoints (a missing
 * {@code ready} counts as ready, as the API says) or, only when none is ready, those still serving while
 * terminating, so a rollout's last pods keep answering. FQDN slices are skipped: nothing here resolves names.
 */
final class SliceEndpoints {
    private static final int WEIGHT = 1;

    private SliceEndpoints() {
    }

    /**
     * @param slices the EndpointSlices of the Service, in Snapshot order
     * @param portName the Service port's name, {@code ""} for an unnamed port
     */
    static List<Endpoint> of(List<EndpointSlice> slices, String portName) {
        // keyed by address and port: one endpoint may sit in two slices while the controller moves it
        Map<InetSocketAddress, Endpoint> ready = new LinkedHashMap<>();
        Map<InetSocketAddress, Endpoint> servingWhileTerminating = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            if (!"IPv4".equals(slice.getAddressType()) && !"IPv6".equals(slice.getAddressType())) {
                continue;
            }
            Integer port = portNumber(slice, portName);
            if (port == null || slice.getEndpoints() == null) {
                continue;
            }
            for (var endpoint : slice.getEndpoints()) {
                InetSocketAddress address = address(endpoint.getAddresses(), port);
                if (address == null) {
                    continue;
                }
                EndpointConditions conditions = endpoint.getConditions();
                Endpoint value = new Endpoint(address, WEIGHT, endpoint.getNodeName());
                if (isReady(conditions)) {
                    ready.putIfAbsent(address, value);
                } else if (isServingWhileTerminating(conditions)) {
                    servingWhileTerminating.putIfAbsent(address, value);
                }
            }
        }
        return List.copyOf((ready.isEmpty() ? servingWhileTerminating : ready).values());
    }

    /** The slice's port for the Service port, by name; an unnamed port is {@code ""} or absent on both sides. */
    private static Integer portNumber(EndpointSlice slice, String portName) {
        for (EndpointPort port : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
            if (Objects.requireNonNullElse(port.getName(), "").equals(portName)) {
                return port.getPort();
            }
        }
        return null;
    }

    /**
     * The first address: the API calls an endpoint's addresses fungible and kube-proxy uses only the first.
     * Null when it is not an IP literal; validation reports those.
     */
    private static InetSocketAddress address(List<String> addresses, int port) {
        if (addresses == null || addresses.isEmpty() || addresses.getFirst() == null) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.ofLiteral(addresses.getFirst()), port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isReady(EndpointConditions conditions) {
        return conditions == null || conditions.getReady() == null || conditions.getReady();
    }

    /** {@code serving} absent counts as true and {@code terminating} absent as false, as the API says. */
    private static boolean isServingWhileTerminating(EndpointConditions conditions) {
        return !Boolean.FALSE.equals(conditions.getServing()) && Boolean.TRUE.equals(conditions.getTerminating());
    }
}
