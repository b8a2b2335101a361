package dev.berth.l2.replication;

import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of one replication message between members: its kind and a whole {@link AllocationTable}. Plain
 * {@link DataOutputStream} fields, no Java serialization (a peer's bytes never choose a class to instantiate).
 * A message that does not decode is refused with {@link IllegalArgumentException}; the receiver logs and drops it.
 *
 * <p>Layout: magic {@code 'B'}, format 1, kind, then the version ({@code count}, then node UTF and counter each),
 * then the allocations ({@code count}, then namespace, name, pool as UTF, and the address count and raw bytes).
 */
public final class TableCodec {

    private static final byte MAGIC = 'B';
    private static final byte FORMAT = 1;
    /** Far above thousands of Services, far below what a corrupt length would make us allocate. */
    private static final int MAX_ENTRIES = 1_000_000;

    /** Why a table is sent. */
    public enum Kind {
        /** The coordinator's table, for every member to keep. */
        TABLE,
        /** A member's table, for the coordinator to merge (sent on every new view). */
        REPORT
    }

    /** One decoded message. */
    public record Message(Kind kind, AllocationTable table) {}

    private TableCodec() {}

    public static byte[] encode(Kind kind, AllocationTable table) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + table.allocations().size() * 48);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(MAGIC);
            out.writeByte(FORMAT);
            out.writeByte(kind.ordinal());
            out.writeInt(table.version().counters().size());
            for (Map.Entry<String, Long> counter : table.version().counters().entrySet()) {
                out.writeUTF(counter.getKey());
                out.writeLong(counter.getValue());
            }
            out.writeInt(table.allocations().size());
            for (Allocation allocation : table.allocations()) {
                out.writeUTF(allocation.service().namespace());
                out.writeUTF(allocation.service().name());
                out.writeUTF(allocation.pool());
                out.writeByte(allocation.ips().size());
                for (InetAddress ip : allocation.ips()) {
                    byte[] raw = ip.getAddress();
                    out.writeByte(raw.length);
                    out.write(raw);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException saying what is wrong with the bytes */
    public static Message decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != MAGIC) {
                throw new IllegalArgumentException("replication message: not one (expected: magic 'B')");
            }
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("replication message: format " + format + " (expected: " + FORMAT + ")");
            }
            int kind = in.readByte();
            if (kind < 0 || kind >= Kind.values().length) {
                throw new IllegalArgumentException("replication message: kind " + kind + " (expected: 0.." + (Kind.values().length - 1) + ")");
            }
            Map<String, Long> counters = new LinkedHashMap<>();
            for (int i = count(in); i > 0; i--) {
                counters.put(in.readUTF(), in.readLong());
            }
            List<Allocation> allocations = new ArrayList<>();
            for (int i = count(in); i > 0; i--) {
                ServiceKey service = new ServiceKey(in.readUTF(), in.readUTF());
                String pool = in.readUTF();
                List<InetAddress> ips = new ArrayList<>();
                for (int j = in.readUnsignedByte(); j > 0; j--) {
                    byte[] raw = new byte[in.readUnsignedByte()];
                    in.readFully(raw);
                    ips.add(InetAddress.getByAddress(raw));
                }
                allocations.add(new Allocation(service, pool, ips));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("replication message: " + in.available() + " bytes after the table (expected: none)");
            }
            return new Message(Kind.values()[kind], new AllocationTable(new TableVersion(counters), allocations));
        } catch (EOFException e) {
            throw new IllegalArgumentException("replication message: truncated (" + bytes.length + " bytes)");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("replication message: an address of " + e.getMessage() + " (expected: 4 or 16 bytes)");
        } catch (IOException e) {
            throw new IllegalArgumentException("replication message: " + e.getMessage());
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_ENTRIES) {
            throw new IllegalArgumentException("replication message: count " + count + " (expected: 0.." + MAX_ENTRIES + ")");
        }
        return count;
    }
}
