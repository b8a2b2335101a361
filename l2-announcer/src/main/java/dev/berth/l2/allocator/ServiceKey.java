package dev.berth.l2.allocator;

import java.util.Comparator;
import java.util.Objects;

/**
 * Names one Service ({@code namespace/name}); the key under which the allocator files its allocation.
 * Ordered by namespace, then name, which is the order in which {@link Allocator#restore} settles conflicts.
 */
public record ServiceKey(String namespace, String name) implements Comparable<ServiceKey> {

    private static final Comparator<ServiceKey> ORDER =
            Comparator.comparing(ServiceKey::namespace).thenComparing(ServiceKey::name);

    public ServiceKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (namespace.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("'" + namespace + "/" + name + "' (expected: non-blank namespace and name)");
        }
    }

    /** Parses {@code namespace/name}. */
    public static ServiceKey parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' (expected: namespace/name)");
        }
        return new ServiceKey(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public int compareTo(ServiceKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
