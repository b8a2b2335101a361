package dev.berth.appliance.state;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.validation.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The configuration in force and what the latest observation said about it.
 *
 * @param generation 0 until a first configuration is accepted, then +1 on every change in force
 * @param snapshot the Snapshot in force (empty at generation 0)
 * @param problems the problems of the latest observation, whatever their effect
 * @param latestRejected whether the latest observation was rejected (the snapshot is then older than it)
 * @param changedAt when the generation last changed, or null at generation 0
 */
public record ConfigStatus(long generation, Snapshot snapshot, List<Problem> problems, boolean latestRejected, Instant changedAt) {

    public static final ConfigStatus INITIAL = new ConfigStatus(0, Snapshot.EMPTY, List.of(), false, null);

    public ConfigStatus {
        Objects.requireNonNull(snapshot, "snapshot");
        problems = List.copyOf(problems);
    }
}
