package dev.berth.appliance;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.source.ManifestReader;
import dev.berth.appliance.source.Observation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: a Snapshot from YAML text, read by the same reader as production. */
public final class Manifests {
    private Manifests() {
    }

    /** Reads one YAML text as if it were the only file of a manifest directory. */
    public static Observation observe(Path scratch, String yaml) {
        try {
            Path directory = Files.createTempDirectory(scratch, "manifests");
            Files.writeString(directory.resolve("objects.yaml"), yaml);
            return new ManifestReader().read(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Snapshot snapshot(Path scratch, String yaml) {
        Observation observation = observe(scratch, yaml);
        if (!observation.problems().isEmpty()) {
            throw new AssertionError("test manifests do not read: " + observation.problems());
        }
        return observation.snapshot();
    }
}
