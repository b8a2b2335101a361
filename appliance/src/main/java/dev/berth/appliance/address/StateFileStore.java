package dev.berth.appliance.address;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import dev.berth.l2.replication.AllocationTable;
import dev.berth.l2.replication.TableStore;
import dev.berth.l2.replication.TableVersion;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Standalone mode's record of allocations: {@code allocations.json} in the state directory, replaced atomically
 * (write a temporary file, fsync it, rename it over the old one, fsync the directory), so a crash at any moment
 * leaves either the old or the new table, never half of one. A lock file keeps two processes off one directory.
 *
 * <p>With several nodes it is also each member's copy of the group's {@link AllocationTable} ({@link TableStore}):
 * the file then carries the table's {@code version} (a count per coordinator). A file without one (a single node's,
 * or one written before replication) has {@link TableVersion#NONE}.
 */
public final class StateFileStore implements AllocationStore, TableStore, AutoCloseable {
    static final String FILE = "allocations.json";
    private static final int FORMAT = 1;
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** The file's shape; field names are a stable format. No {@code version} on a single node's file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Stored(int format, Map<String, Long> version, List<Entry> allocations) {
        record Entry(String namespace, String name, String pool, List<String> ips) {
        }
    }

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private AllocationTable recorded;
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

    /** The allocations last read or written: what the file holds now. */
    @Override
    public synchronized Map<ServiceKey, List<InetAddress>> load(Snapshot snapshot) {
        Map<ServiceKey, List<InetAddress>> loaded = new LinkedHashMap<>();
        recorded.allocations().forEach(allocation -> loaded.put(allocation.service(), allocation.ips()));
        return loaded;
    }

    @Override
    public synchronized AllocationTable table() {
        return recorded;
    }

    private AllocationTable read() {
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            return AllocationTable.EMPTY;
        }
        try {
            Stored stored = JSON.readValue(Files.readString(file), Stored.class);
            if (stored.format() != FORMAT || stored.allocations() == null) {
                throw new IllegalStateException(file + ": format " + stored.format() + " (expected: " + FORMAT + ")");
            }
            List<Allocation> loaded = new ArrayList<>();
            for (Stored.Entry entry : stored.allocations()) {
                loaded.add(new Allocation(new ServiceKey(entry.namespace(), entry.name()), entry.pool(),
                        entry.ips().stream().map(InetAddress::ofLiteral).toList()));
            }
            written = stored;
            return new AllocationTable(stored.version() == null ? TableVersion.NONE : new TableVersion(stored.version()), loaded);
        } catch (IOException | JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException(file + " is unreadable or corrupt (" + e.getMessage().lines().findFirst().orElse("")
                    + "); Berth will not start and re-allocate blindly. Restore it from a backup, or move it away to start"
                    + " with no allocations (Services may then get other IPs)");
        }
    }

    /** Records a single node's allocations; the version stays what it was. */
    @Override
    public synchronized void save(List<Allocation> allocations) {
        keep(new AllocationTable(recorded.version(), allocations));
    }

    @Override
    public synchronized void keep(AllocationTable table) {
        Stored next = new Stored(FORMAT, table.version().counters().isEmpty() ? null : table.version().counters(), table.allocations().stream()
                .map(allocation -> new Stored.Entry(allocation.service().namespace(), allocation.service().name(), allocation.pool(),
                        allocation.ips().stream().map(IpText::of).toList()))
                .toList());
        if (next.equals(written)) {
            recorded = table;
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
            recorded = table;
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
