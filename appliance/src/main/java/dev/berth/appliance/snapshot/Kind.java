package dev.berth.appliance.snapshot;

import dev.berth.appliance.crd.IPAddressPool;
import dev.berth.appliance.crd.L2Advertisement;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.Optional;

/** The kinds of object a Snapshot holds: exactly what the two planes need (Namespaces for their labels), nothing else. */
public enum Kind {
    SERVICE("v1", "Service", Service.class, true),
    ENDPOINT_SLICE("discovery.k8s.io/v1", "EndpointSlice", EndpointSlice.class, true),
    INGRESS("networking.k8s.io/v1", "Ingress", Ingress.class, true),
    INGRESS_CLASS("networking.k8s.io/v1", "IngressClass", IngressClass.class, false),
    SECRET("v1", "Secret", Secret.class, true),
    NODE("v1", "Node", Node.class, false),
    NAMESPACE("v1", "Namespace", Namespace.class, false),
    IP_ADDRESS_POOL(IPAddressPool.API_VERSION, "IPAddressPool", IPAddressPool.class, true),
    L2_ADVERTISEMENT(IPAddressPool.API_VERSION, "L2Advertisement", L2Advertisement.class, true);

    private final String apiVersion;
    private final String kindName;
    private final Class<? extends HasMetadata> type;
    private final boolean namespaced;

    Kind(String apiVersion, String kindName, Class<? extends HasMetadata> type, boolean namespaced) {
        this.apiVersion = apiVersion;
        this.kindName = kindName;
        this.type = type;
        this.namespaced = namespaced;
    }

    /** The kind for a manifest's {@code apiVersion} and {@code kind}, if Berth reads it. */
    public static Optional<Kind> of(String apiVersion, String kindName) {
        for (Kind kind : values()) {
            if (kind.apiVersion.equals(apiVersion) && kind.kindName.equals(kindName)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    public String apiVersion() {
        return apiVersion;
    }

    public Class<? extends HasMetadata> type() {
        return type;
    }

    public boolean namespaced() {
        return namespaced;
    }

    /** The Kubernetes spelling, e.g. {@code IPAddressPool}. */
    @Override
    public String toString() {
        return kindName;
    }
}
