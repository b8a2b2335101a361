package dev.berth.l2.replication;

import static dev.berth.l2.replication.TableMergeTest.allocation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.allocator.ServiceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The replication protocol on a {@link FakeGroup}, where the test cuts the group in two exactly: both halves'
 * coordinators allocate, the same address among others, and after the partition heals every member holds one table in
 * which no address has two holders and the smaller half's clashing Service is reported, to be allocated again.
 */
class TableReplicationPartitionTest {

    private final FakeGroup group = new FakeGroup();
    private final List<TableReplication> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(TableReplication::close);
    }

    private TableReplication member(String name, AllocationTable kept) {
        TableReplication replication = new TableReplication(name, group.member(name), new MemoryTableStore(kept), () -> {});
        started.add(replication);
        return replication;
    }

    @Test
    void aHealedPartitionEndsWithOneTableAndOneHolderPerAddress() {
        TableReplication a = member("a", AllocationTable.EMPTY);
        TableReplication b = member("b", AllocationTable.EMPTY);
        TableReplication c = member("c", AllocationTable.EMPTY);
        group.view("a", "b", "c");
        group.deliverAll();
        assertThat(a.mayAllocate()).isTrue();
        assertThat(b.mayAllocate()).isFalse();
        a.publish(List.of(allocation("shop/web", "192.0.2.10")));
        group.deliverAll();
        assertThat(b.table()).isEqualTo(a.table());
        assertThat(c.table()).isEqualTo(a.table());

        group.view("a");
        group.view("b", "c");
        group.deliverAll();
        assertThat(a.mayAllocate()).isTrue();
        assertThat(b.mayAllocate()).as("b allocates for its half once c reported").isTrue();
        a.publish(List.of(allocation("shop/web", "192.0.2.10"), allocation("shop/left", "192.0.2.11")));
        b.publish(List.of(allocation("shop/web", "192.0.2.10"), allocation("shop/right", "192.0.2.11"), allocation("shop/both", "192.0.2.12")));
        group.deliverAll();
        assertThat(c.table()).isEqualTo(b.table());

        group.view("a", "b", "c");
        group.deliverAll();
        assertThat(a.mayAllocate()).isTrue();
        assertThat(a.table().allocations()).containsExactly(
                allocation("shop/both", "192.0.2.12"), allocation("shop/right", "192.0.2.11"), allocation("shop/web", "192.0.2.10"));
        assertThat(b.table()).isEqualTo(a.table());
        assertThat(c.table()).isEqualTo(a.table());
        assertThat(a.conflicts()).extracting(TableMerge.Conflict::service).containsExactly(ServiceKey.parse("shop/left"));

        // The allocator on a gives shop/left a new address; everyone follows.
        a.publish(List.of(allocation("shop/both", "192.0.2.12"), allocation("shop/left", "192.0.2.13"),
                allocation("shop/right", "192.0.2.11"), allocation("shop/web", "192.0.2.10")));
        group.deliverAll();
        assertThat(c.table()).isEqualTo(a.table());
        assertThat(a.table().version().counters()).containsOnlyKeys("a", "b");
    }

    @Test
    void aRestartedMemberWithAStaleTableTakesTheGroupsAndChangesNothing() {
        AllocationTable old = new AllocationTable(new TableVersion(Map.of("a", 1L)), List.of(allocation("shop/gone", "192.0.2.10")));
        TableReplication a = member("a", AllocationTable.EMPTY);
        group.view("a");
        group.deliverAll();
        a.publish(List.of(allocation("shop/gone", "192.0.2.10")));
        a.publish(List.of(allocation("shop/new", "192.0.2.10")));
        AllocationTable current = a.table();

        TableReplication d = member("d", old);
        group.view("a", "d");
        group.deliverAll();
        assertThat(a.table()).isEqualTo(current);
        assertThat(d.table()).isEqualTo(current);
        assertThat(a.conflicts()).isEmpty();
    }

    @Test
    void aMemberThatIsNotTheCoordinatorRecordsNothing() {
        TableReplication a = member("a", AllocationTable.EMPTY);
        TableReplication b = member("b", AllocationTable.EMPTY);
        group.view("a", "b");
        group.deliverAll();
        b.publish(List.of(allocation("shop/web", "192.0.2.10")));
        group.deliverAll();
        assertThat(b.table()).isEqualTo(AllocationTable.EMPTY);
        assertThat(a.table()).isEqualTo(AllocationTable.EMPTY);
    }
}
