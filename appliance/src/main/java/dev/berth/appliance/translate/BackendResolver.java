package dev.berth.appliance.translate;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves an Ingress backend (Service name + port number or name) to a {@link Backend}, the way kube-proxy
 * follows a Service: the Service's port, then its EndpointSlices ({@link SliceEndpoints}). A Service or port
 * that does not exist yet still yields a backend, with no endpoints, so its routes answer 503 rather than
 * falling through to another route. One resolver serves one translation and keeps every backend it made.
 */
final class BackendResolver {
    static final String BALANCE_ANNOTATION = "berth.dev/balance";
    /** Relative endpoint weights for weighted balancing: {@code "192.0.2.10=5,192.0.2.11=1"}; unlisted ones weigh 1. */
    static final String WEIGHTS_ANNOTATION = "berth.dev/weights";
    static final String DEFAULT_BALANCE = "round-robin";
    private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
    private final Map<String, Backend> backends = new LinkedHashMap<>();

    BackendResolver(Snapshot snapshot) {
        for (Service service : snapshot.services()) {
            services.put(key(service.getMetadata().getNamespace(), service.getMetadata().getName()), service);
        }
        for (EndpointSlice slice : snapshot.endpointSlices()) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (service != null) {
                slicesByService.computeIfAbsent(key(slice.getMetadata().getNamespace(), service), k -> new ArrayList<>()).add(slice);
            }
        }
    }

    /** The backend's name, after making it if this is the first route to name it. */
    String resolve(String namespace, IngressServiceBackend reference) {
        Service service = services.get(key(namespace, reference.getName()));
        ServicePort port = service == null ? null : findPort(service, reference.getPort());
        String name = key(namespace, reference.getName()) + ":" + (port == null ? written(reference.getPort()) : written(port));
        backends.computeIfAbsent(name, key -> port == null
                ? new Backend(key, Backend.Protocol.HTTP, DEFAULT_BALANCE, List.of())
                : new Backend(key, UpstreamProtocol.of(service, port), balance(service), endpoints(service, port)));
        return name;
    }

    /** The backend of one Service port, for a TCP listener (no Ingress involved). */
    Backend backendOf(Service service, ServicePort port) {
        String name = key(service.getMetadata().getNamespace(), service.getMetadata().getName()) + ":" + written(port);
        return backends.computeIfAbsent(name, key -> new Backend(key, UpstreamProtocol.of(service, port), balance(service), endpoints(service, port)));
    }

    /** Every backend made so far, by name. */
    Map<String, Backend> backends() {
        return backends;
    }

    private List<Endpoint> endpoints(Service service, ServicePort port) {
        List<EndpointSlice> slices = slicesByService.getOrDefault(
                key(service.getMetadata().getNamespace(), service.getMetadata().getName()), List.of());
        List<Endpoint> endpoints = SliceEndpoints.of(slices, Objects.requireNonNullElse(port.getName(), ""));
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        String weights = annotations == null ? null : annotations.get(WEIGHTS_ANNOTATION);
        return weights == null || weights.isBlank() ? endpoints : EndpointWeights.apply(weights, endpoints, service);
    }

    private static ServicePort findPort(Service service, ServiceBackendPort wanted) {
        if (service.getSpec() == null || service.getSpec().getPorts() == null || wanted == null) {
            return null;
        }
        for (ServicePort port : service.getSpec().getPorts()) {
            boolean byNumber = wanted.getNumber() != null && wanted.getNumber().equals(port.getPort());
            boolean byName = wanted.getName() != null && !wanted.getName().isEmpty() && wanted.getName().equals(port.getName());
            if (byNumber || byName) {
                return port;
            }
        }
        return null;
    }

    private static String balance(Service service) {
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        String balance = annotations == null ? null : annotations.get(BALANCE_ANNOTATION);
        return balance == null || balance.isBlank() ? DEFAULT_BALANCE : balance.strip();
    }

    /** A Service port as its Service writes it: by name when it has one, so one port has one backend name. */
    private static String written(ServicePort port) {
        return port.getName() == null || port.getName().isEmpty() ? String.valueOf(port.getPort()) : port.getName();
    }

    /** A port the Service lacks, as the Ingress wrote it: the backend is named even before the port exists. */
    private static String written(ServiceBackendPort port) {
        if (port == null) {
            return "";
        }
        return port.getName() != null && !port.getName().isEmpty() ? port.getName() : String.valueOf(port.getNumber());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
