package dev.berth.appliance.snapshot;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.Objects;

/**
 * Names one object of a Snapshot. The namespace is empty for cluster-scoped kinds.
 */
public record ObjectRef(Kind kind, String namespace, String name) implements Comparable<ObjectRef> {

    private static final Comparator<ObjectRef> ORDER = Comparator.comparing(ObjectRef::kind)
            .thenComparing(ObjectRef::namespace)
            .thenComparing(ObjectRef::name);

    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public static ObjectRef of(Kind kind, HasMetadata object) {
        var metadata = object.getMetadata();
        String namespace = kind.namespaced() && metadata.getNamespace() != null ? metadata.getNamespace() : "";
        return new ObjectRef(kind, namespace, metadata.getName());
    }

    /** {@code namespace/name}, or just {@code name} for a cluster-scoped object. */
    public String qualifiedName() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @Override
    public int compareTo(ObjectRef other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return kind + " " + qualifiedName();
    }
}
