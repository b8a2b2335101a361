package dev.berth.appliance.address;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.berth.l2.pool.IpText;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Standalone mode's record of allocations: {@code allocations.json} in the state directory, replaced atomically
 * (write a temporary file, fsync it, rename it over the old one, fsync the directory), so a crash at any moment
 * leaves either the old or the new table, never half of one. A lock file keeps two processes off one directory.
 */
public final class StateFileStore implements AllocationStore, AutoCloseable {
    static final String FILE = "allocations.json";
    private static final int FORMAT = 1;
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** The file's shape; field names are a stable format. */
    record Stored(int format, List<Entry> allocations) {
        record Entry(String namespace, String name, String pool, List<String> ips) {
        }
    }

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<ServiceKey, List<InetAddress>> recorded;
    private Stored written;

    private StateFileStore(Path directory, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recorded = read();
    }

    /**
     * Opens (and creates) the state directory, takes its lock and reads the recorded allocations, so that a
     * corrupt file stops the start before anything else happens.
     *
     * @throws IllegalArgumentException naming the directory when it cannot be used, or another process holds it
     * @throws IllegalStateException when the allocations file is corrupt
     */
    public static StateFileStore open(Path directory) {
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                channel.close();
                throw new IllegalArgumentException("--state " + directory + ": another berth process is using it (expected: one process per state directory)");
            }
            try {
                return new StateFileStore(directory, channel, lock);
            } catch (RuntimeException e) {
                lock.release();
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--state " + directory + ": cannot be used: " + e.getMessage() + " (expected: a writable directory)");
        }
    }

    @Override
    public Map<ServiceKey, List<InetAddress>> load(Snapshot snapshot) {
        return recorded;
    }

    private Map<ServiceKey, List<InetAddress>> read() {
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            Stored stored = JSON.readValue(Files.readString(file), Stored.class);
            if (stored.format() != FORMAT || stored.allocations() == null) {
                throw new IllegalStateException(file + ": format " + stored.format() + " (expected: " + FORMAT + ")");
            }
            Map<ServiceKey, List<InetAddress>> loaded = new LinkedHashMap<>();
            for (Stored.Entry entry : stored.allocations()) {
                loaded.put(new ServiceKey(entry.namespace(), entry.name()), entry.ips().stream().map(InetAddress::ofLiteral).toList());
            }
            written = stored;
            return loaded;
        } catch (IOException | JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException(file + " is unreadable or corrupt (" + e.getMessage().lines().findFirst().orElse("")
                    + "); Berth will not start and re-allocate blindly. Restore it from a backup, or move it away to start"
                    + " with no allocations (Services may then get other IPs)");
        }
    }

    @Override
    public void save(List<Allocation> allocations) {
        Stored next = new Stored(FORMAT, allocations.stream()
                .map(allocation -> new Stored.Entry(allocation.service().namespace(), allocation.service().name(), allocation.pool(),
                        allocation.ips().stream().map(IpText::of).toList()))
                .toList());
        if (next.equals(written)) {
            return;
        }
        Path file = directory.resolve(FILE);
        Path temporary = directory.resolve(FILE + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(next)));
                out.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true); // the rename itself must reach the disk
            }
            written = next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the process is stopping; the kernel drops the lock with the file descriptor anyway
        }
    }
}
