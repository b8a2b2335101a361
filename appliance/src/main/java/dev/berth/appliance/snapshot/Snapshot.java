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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable picture of the objects Berth acts on: Services, EndpointSlices, Ingresses, IngressClasses,
 * Secrets, Nodes, IPAddressPools and L2Advertisements. Built by a source on every (coalesced) change and
 * handed to validation, then to the planes. Each kind's objects are sorted by namespace and name, so two
 * Snapshots of the same world are equal. The fabric8 objects inside are shared, never modified.
 */
public final class Snapshot {

    public static final Snapshot EMPTY = new Snapshot(new EnumMap<>(Kind.class));

    private final Map<Kind, List<HasMetadata>> objects;

    private Snapshot(Map<Kind, List<HasMetadata>> objects) {
        EnumMap<Kind, List<HasMetadata>> copy = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            List<HasMetadata> sorted = new ArrayList<>(objects.getOrDefault(kind, List.of()));
            sorted.sort(Comparator.comparing(object -> ObjectRef.of(kind, object)));
            copy.put(kind, List.copyOf(sorted));
        }
        this.objects = copy;
    }

    /** A Snapshot of the given objects; each must be an instance of its kind's type. */
    public static Snapshot of(Map<Kind, ? extends Collection<? extends HasMetadata>> objects) {
        EnumMap<Kind, List<HasMetadata>> lists = new EnumMap<>(Kind.class);
        objects.forEach((kind, list) -> {
            for (HasMetadata object : list) {
                if (!kind.type().isInstance(object)) {
                    throw new IllegalArgumentException(object.getClass().getSimpleName() + " listed as " + kind
                            + " (expected: " + kind.type().getSimpleName() + ")");
                }
            }
            lists.put(kind, List.copyOf(list));
        });
        return new Snapshot(lists);
    }

    public List<HasMetadata> objects(Kind kind) {
        return objects.get(kind);
    }

    public Optional<HasMetadata> find(ObjectRef ref) {
        return objects(ref.kind()).stream().filter(object -> ObjectRef.of(ref.kind(), object).equals(ref)).findFirst();
    }

    /** This Snapshot with one kind's objects replaced. */
    public Snapshot with(Kind kind, Collection<? extends HasMetadata> replacement) {
        EnumMap<Kind, List<HasMetadata>> changed = new EnumMap<>(objects);
        changed.put(kind, List.copyOf(replacement));
        return new Snapshot(changed);
    }

    public int size() {
        return objects.values().stream().mapToInt(List::size).sum();
    }

    /** Count per kind, in kind order, for logs and the admin API. */
    public Map<Kind, Integer> counts() {
        EnumMap<Kind, Integer> counts = new EnumMap<>(Kind.class);
        objects.forEach((kind, list) -> counts.put(kind, list.size()));
        return counts;
    }

    public List<Service> services() {
        return typed(Kind.SERVICE);
    }

    public List<EndpointSlice> endpointSlices() {
        return typed(Kind.ENDPOINT_SLICE);
    }

    public List<Ingress> ingresses() {
        return typed(Kind.INGRESS);
    }

    public List<IngressClass> ingressClasses() {
        return typed(Kind.INGRESS_CLASS);
    }

    public List<Secret> secrets() {
        return typed(Kind.SECRET);
    }

    public List<Node> nodes() {
        return typed(Kind.NODE);
    }

    public List<Namespace> namespaces() {
        return typed(Kind.NAMESPACE);
    }

    public List<IPAddressPool> ipAddressPools() {
        return typed(Kind.IP_ADDRESS_POOL);
    }

    public List<L2Advertisement> l2Advertisements() {
        return typed(Kind.L2_ADVERTISEMENT);
    }

    @SuppressWarnings("unchecked") // the factory checked every object against its kind's type
    private <T extends HasMetadata> List<T> typed(Kind kind) {
        return (List<T>) (List<?>) objects.get(kind);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot snapshot && objects.equals(snapshot.objects);
    }

    @Override
    public int hashCode() {
        return objects.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        counts().forEach((kind, count) -> {
            if (count > 0) {
                text.append(text.isEmpty() ? "" : ", ").append(count).append(' ').append(kind);
            }
        });
        return text.isEmpty() ? "no objects" : text.toString();
    }
}
