package dev.berth.appliance.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real thing: a WatchService on a temporary directory, the production quiet period. */
class ManifestDirectorySourceTest {
    private static final Duration QUIET = Duration.ofMillis(100);
    private static final Duration MAX_DELAY = Duration.ofMillis(500);

    @TempDir
    Path directory;

    private final BlockingQueue<Observation> observations = new LinkedBlockingQueue<>();
    private ManifestDirectorySource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
    }

    private void start() throws IOException {
        source = new ManifestDirectorySource(directory, QUIET, MAX_DELAY);
        source.start(observations::add);
    }

    private Observation next() throws InterruptedException {
        Observation observation = observations.poll(5, TimeUnit.SECONDS);
        assertThat(observation).as("an observation within 5 s").isNotNull();
        return observation;
    }

    /** Waits until an observation satisfies the condition, returning how many arrived up to it. */
    private int awaitObservation(java.util.function.Predicate<Observation> condition) throws InterruptedException {
        for (int seen = 1; ; seen++) {
            if (condition.test(next())) {
                return seen;
            }
        }
    }

    private static String node(String name) {
        return "apiVersion: v1\nkind: Node\nmetadata: {name: " + name + "}\n";
    }

    @Test
    void theFirstObservationIsDeliveredBeforeStartReturns() throws IOException {
        Files.writeString(directory.resolve("a.yaml"), node("a"));
        start();
        assertThat(observations).singleElement().satisfies(o -> assertThat(o.snapshot().nodes()).hasSize(1));
    }

    @Test
    void anEditBecomesANewObservation() throws Exception {
        Files.writeString(directory.resolve("a.yaml"), node("a"));
        start();
        next();
        Files.writeString(directory.resolve("a.yaml"), node("b"));
        Observation after = next();
        assertThat(after.snapshot().nodes()).singleElement()
                .satisfies(n -> assertThat(n.getMetadata().getName()).isEqualTo("b"));
    }

    @Test
    void aBurstOfAHundredFilesIsCoalesced() throws Exception {
        start();
        next();
        for (int i = 0; i < 100; i++) {
            Files.writeString(directory.resolve("node-" + i + ".yaml"), node("node-" + i));
        }
        int observationsUntilComplete = awaitObservation(o -> o.snapshot().nodes().size() == 100);
        // 100 writes take a few ms; with a 100 ms quiet period they are one observation, two if a scheduler
        // hiccup splits the burst. Anything near 100 would mean no coalescing at all.
        assertThat(observationsUntilComplete).isLessThanOrEqualTo(3);
    }

    @Test
    void aHalfWrittenFileIsReportedThenReadWhole() throws Exception {
        start();
        next();
        Path file = directory.resolve("web.yaml");
        Files.writeString(file, "apiVersion: v1\nkind: Service\nmetadata: {name: web\n");
        Observation half = next();
        assertThat(half.problems()).isNotEmpty();
        Files.writeString(file, "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n");
        int seen = awaitObservation(o -> o.problems().isEmpty() && o.snapshot().services().size() == 1);
        assertThat(seen).isPositive();
    }

    @Test
    void newSubdirectoriesAreWatched() throws Exception {
        start();
        next();
        Path team = Files.createDirectory(directory.resolve("team"));
        awaitObservation(o -> true);
        Files.writeString(team.resolve("n.yaml"), node("in-subdirectory"));
        awaitObservation(o -> o.snapshot().nodes().size() == 1);
    }

    @Test
    void aDeletedFileDisappearsFromTheSnapshot() throws Exception {
        Files.writeString(directory.resolve("a.yaml"), node("a"));
        Files.writeString(directory.resolve("b.yaml"), node("b"));
        start();
        assertThat(next().snapshot().nodes()).hasSize(2);
        Files.delete(directory.resolve("b.yaml"));
        List<String> names = new ArrayList<>();
        awaitObservation(o -> {
            names.clear();
            o.snapshot().nodes().forEach(n -> names.add(n.getMetadata().getName()));
            return names.size() == 1;
        });
        assertThat(names).containsExactly("a");
    }
}
