package dev.berth.appliance.state;

import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.validation.Effect;
import dev.berth.appliance.validation.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides what a validated candidate does to the configuration in force (pure). A problem that rejects the
 * configuration keeps the last good one whole; a problem that holds an object puts that object's last good
 * version (or nothing, if it never had one) in place of the candidate's; warnings change nothing.
 */
public final class ConfigGate {

    private ConfigGate() {
    }

    /** The Snapshot to put in force, or empty when the candidate is rejected. */
    public static Optional<Snapshot> admit(Snapshot lastGood, Snapshot candidate, List<Problem> problems) {
        if (problems.stream().anyMatch(problem -> problem.effect() == Effect.REJECTS_CONFIG)) {
            return Optional.empty();
        }
        Set<String> held = problems.stream()
                .filter(problem -> problem.effect() == Effect.HOLDS_OBJECT)
                .map(Problem::object)
                .collect(Collectors.toSet());
        if (held.isEmpty()) {
            return Optional.of(candidate);
        }
        Map<Kind, List<HasMetadata>> admitted = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            List<HasMetadata> objects = new ArrayList<>();
            for (HasMetadata object : candidate.objects(kind)) {
                ObjectRef ref = ObjectRef.of(kind, object);
                if (!held.contains(ref.toString())) {
                    objects.add(object);
                } else {
                    lastGood.find(ref).ifPresent(objects::add);
                }
            }
            admitted.put(kind, objects);
        }
        return Optional.of(Snapshot.of(admitted));
    }
}
