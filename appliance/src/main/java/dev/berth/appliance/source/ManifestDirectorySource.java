package dev.berth.appliance.source;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone mode's source: a directory of manifests, read at start and again after every burst of changes
 * (a WatchService on the directory and its sub-directories, coalesced). A half-written file either does not
 * parse, which rejects that observation while the last good configuration keeps serving, or is read again
 * when the editor's next write lands; the quiet period makes the second case the usual one.
 */
public final class ManifestDirectorySource implements SnapshotSource {
    private static final Logger log = LoggerFactory.getLogger(ManifestDirectorySource.class);

    private final Path directory;
    private final ManifestReader reader;
    private final Duration quiet;
    private final Duration maxDelay;
    private final Scheduler scheduler = Scheduler.singleThread("berth-manifests");
    private WatchService watcher;
    private Thread watchThread;

    public ManifestDirectorySource(Path directory, Duration quiet, Duration maxDelay) {
        this.directory = directory;
        this.reader = new ManifestReader();
        this.quiet = quiet;
        this.maxDelay = maxDelay;
    }

    @Override
    public void start(Consumer<Observation> sink) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("--manifests " + directory + ": not a directory (expected: a directory of YAML/JSON manifests)");
        }
        watcher = directory.getFileSystem().newWatchService();
        registerTree(directory);
        Coalescer coalescer = new Coalescer(quiet, maxDelay, () -> deliver(sink), scheduler);
        watchThread = Thread.ofPlatform().name("berth-manifest-watch").daemon().start(() -> watch(coalescer));
        CompletableFuture<Void> first = new CompletableFuture<>();
        scheduler.schedule(Duration.ZERO, () -> {
            deliver(sink);
            first.complete(null);
        });
        first.join();
    }

    private void deliver(Consumer<Observation> sink) {
        try {
            sink.accept(reader.read(directory));
        } catch (IOException e) {
            log.warn("cannot list {}: {}; the configuration in force keeps serving", directory, e.getMessage());
        } catch (RuntimeException e) {
            log.error("reading {} failed; the configuration in force keeps serving", directory, e);
        }
    }

    private void watch(Coalescer coalescer) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                for (var event : key.pollEvents()) {
                    if (event.kind() == ENTRY_CREATE && event.context() instanceof Path name) {
                        Path created = ((Path) key.watchable()).resolve(name);
                        if (Files.isDirectory(created) && !ManifestReader.isHidden(created)) {
                            registerTree(created);
                        }
                    }
                }
                coalescer.signal();
                if (!key.reset() && key.watchable().equals(directory)) {
                    log.warn("{} is gone; the configuration in force keeps serving", directory);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } catch (UncheckedIOException e) {
            log.error("watching {} stopped: {}", directory, e.getMessage());
        }
    }

    private void registerTree(Path root) {
        try (Stream<Path> directories = Files.walk(root)) {
            directories.filter(Files::isDirectory)
                    .filter(dir -> dir.equals(directory) || !ManifestReader.isHidden(dir))
                    .forEach(dir -> {
                        try {
                            dir.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY, OVERFLOW);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String describe() {
        return "manifests " + directory;
    }

    @Override
    public void close() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            log.debug("closing the watcher", e);
        }
        if (watchThread != null) {
            watchThread.interrupt();
        }
        scheduler.close();
    }
}
