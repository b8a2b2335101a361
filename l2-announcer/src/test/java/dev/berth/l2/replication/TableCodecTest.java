package dev.berth.l2.replication;

import static dev.berth.l2.replication.TableMergeTest.allocation;
import static dev.berth.l2.replication.TableMergeTest.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.l2.replication.TableCodec.Kind;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Round trips, and malformed bytes refused with a message instead of a half table. */
class TableCodecTest {

    private static final AllocationTable TABLE = table(Map.of("node-a", 3L, "node-b", 1L),
            allocation("shop/web", "192.0.2.10", "2001:db8::10"), allocation("ops/dns", "198.51.100.7"));

    @Test
    void aTableComesBackEqual() {
        for (Kind kind : Kind.values()) {
            assertThat(TableCodec.decode(TableCodec.encode(kind, TABLE))).isEqualTo(new TableCodec.Message(kind, TABLE));
        }
        assertThat(TableCodec.decode(TableCodec.encode(Kind.TABLE, AllocationTable.EMPTY)).table()).isEqualTo(AllocationTable.EMPTY);
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] whole = TableCodec.encode(Kind.TABLE, TABLE);
        for (int length = 0; length < whole.length; length++) {
            byte[] part = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> TableCodec.decode(part)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("replication message: ");
        }
    }

    @Test
    void foreignBytesAndTrailingBytesAreRefusedNamingWhy() {
        assertThatThrownBy(() -> TableCodec.decode("GET / HTTP/1.1".getBytes())).hasMessage("replication message: not one (expected: magic 'B')");
        byte[] whole = TableCodec.encode(Kind.REPORT, TABLE);
        byte[] longer = Arrays.copyOf(whole, whole.length + 2);
        assertThatThrownBy(() -> TableCodec.decode(longer)).hasMessage("replication message: 2 bytes after the table (expected: none)");
        byte[] badKind = whole.clone();
        badKind[2] = 9;
        assertThatThrownBy(() -> TableCodec.decode(badKind)).hasMessage("replication message: kind 9 (expected: 0..1)");
    }
}
