package dev.berth.l2.replication;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many tables each coordinator has published in a table's history (a version vector). A counter per node, not
 * one number, because two halves of a partition each publish from the same start: with one number their tables
 * would look ordered, and the older-looking half would be thrown away. Here a table that {@link #covers} another
 * saw everything the other saw (the other is stale: a node that was down, a message that arrived late), and two
 * tables neither of which covers the other are concurrent and must be {@linkplain TableMerge merged}.
 *
 * <p>Example: a publishes twice {@code {a=2}}; a dies, b continues {@code {a=2, b=1}}, which covers {@code {a=2}}.
 * Split in two, a publishes {@code {a=3}} and b {@code {a=2, b=1}}: concurrent.
 */
public record TableVersion(Map<String, Long> counters) {

    /** The version of a table nobody published yet (a new node's, or a state file older than replication). */
    public static final TableVersion NONE = new TableVersion(Map.of());

    public TableVersion {
        requireNonNull(counters, "counters");
        TreeMap<String, Long> sorted = new TreeMap<>();
        counters.forEach((node, count) -> {
            if (node == null || node.isBlank() || count == null || count < 1) {
                throw new IllegalArgumentException("version: " + node + "=" + count + " (expected: a node name and a count >= 1)");
            }
            sorted.put(node, count);
        });
        counters = Collections.unmodifiableMap(sorted);
    }

    /** This version with one more table published by {@code node}. */
    public TableVersion next(String node) {
        requireNonNull(node, "node");
        TreeMap<String, Long> next = new TreeMap<>(counters);
        next.merge(node, 1L, Long::sum);
        return new TableVersion(next);
    }

    /** The least version that covers both (the pointwise maximum). */
    public TableVersion join(TableVersion other) {
        TreeMap<String, Long> joined = new TreeMap<>(counters);
        other.counters.forEach((node, count) -> joined.merge(node, count, Math::max));
        return new TableVersion(joined);
    }

    /** Whether everything {@code other} counts is counted here too (true for an equal version). */
    public boolean covers(TableVersion other) {
        return other.counters.entrySet().stream()
                .allMatch(entry -> counters.getOrDefault(entry.getKey(), 0L) >= entry.getValue());
    }

    @Override
    public String toString() {
        return counters.toString();
    }
}
