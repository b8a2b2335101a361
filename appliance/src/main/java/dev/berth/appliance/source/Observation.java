package dev.berth.appliance.source;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.validation.Problem;
import java.util.List;
import java.util.Objects;

/**
 * What a source saw at one moment: the Snapshot it built and the problems met while reading (files that do
 * not parse, objects that do not convert). Validation of the Snapshot itself happens later, in one place.
 *
 * @param ignored how many documents were of kinds Berth does not read (Deployments and the like)
 */
public record Observation(Snapshot snapshot, List<Problem> problems, int ignored) {

    public Observation {
        Objects.requireNonNull(snapshot, "snapshot");
        problems = List.copyOf(problems);
    }
}
