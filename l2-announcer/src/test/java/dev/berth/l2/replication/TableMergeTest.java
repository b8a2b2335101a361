package dev.berth.l2.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Table-driven cases of {@link TableMerge}: stale tables, healed partitions, clashes; inputs are never changed. */
class TableMergeTest {

    static Allocation allocation(String service, String... ips) {
        return new Allocation(ServiceKey.parse(service), "lan", List.of(ips).stream().map(InetAddress::ofLiteral).toList());
    }

    static AllocationTable table(Map<String, Long> version, Allocation... allocations) {
        return new AllocationTable(new TableVersion(version), List.of(allocations));
    }

    private static TableMerge.Merged merge(AllocationTable... reports) {
        List<AllocationTable> input = new ArrayList<>(List.of(reports));
        List<AllocationTable> copy = List.copyOf(input);
        TableMerge.Merged merged = TableMerge.merge(input, "a");
        assertThat(input).as("input not mutated").isEqualTo(copy);
        return merged;
    }

    @Test
    void aStaleTableIsIgnoredAndTheNewestIsTheResultAsItIs() {
        AllocationTable newer = table(Map.of("a", 3L), allocation("shop/web", "192.0.2.11"));
        AllocationTable older = table(Map.of("a", 2L), allocation("shop/web", "192.0.2.10"), allocation("shop/old", "192.0.2.12"));
        TableMerge.Merged merged = merge(older, newer, AllocationTable.EMPTY);
        assertThat(merged.table()).isEqualTo(newer);
        assertThat(merged.conflicts()).isEmpty();
    }

    @Test
    void aNewCoordinatorsTableCoversTheOneItContinued() {
        AllocationTable continued = table(Map.of("a", 2L, "b", 1L), allocation("shop/web", "192.0.2.10"), allocation("shop/new", "192.0.2.11"));
        TableMerge.Merged merged = merge(table(Map.of("a", 2L), allocation("shop/web", "192.0.2.10")), continued);
        assertThat(merged.table()).isEqualTo(continued);
    }

    @Test
    void halvesThatAllocatedDifferentServicesKeepBoth() {
        AllocationTable left = table(Map.of("a", 3L), allocation("shop/web", "192.0.2.10"), allocation("shop/left", "192.0.2.11"));
        AllocationTable right = table(Map.of("a", 2L, "b", 1L), allocation("shop/web", "192.0.2.10"), allocation("shop/right", "192.0.2.12"));
        TableMerge.Merged merged = merge(left, right);
        assertThat(merged.table().allocations()).containsExactly(
                allocation("shop/left", "192.0.2.11"), allocation("shop/right", "192.0.2.12"), allocation("shop/web", "192.0.2.10"));
        assertThat(merged.conflicts()).isEmpty();
        assertThat(merged.table().version()).isEqualTo(new TableVersion(Map.of("a", 4L, "b", 1L)));
        assertThat(merged.table().version().covers(left.version())).isTrue();
        assertThat(merged.table().version().covers(right.version())).isTrue();
    }

    @Test
    void halvesThatMadeTheSameChoiceHaveNothingToReport() {
        AllocationTable left = table(Map.of("a", 2L), allocation("shop/web", "192.0.2.10"));
        AllocationTable right = table(Map.of("b", 1L), allocation("shop/web", "192.0.2.10"));
        assertThat(merge(left, right).conflicts()).isEmpty();
    }

    @Test
    void aServiceAllocatedDifferentlyKeepsWhatMoreMembersHeld() {
        AllocationTable big = table(Map.of("a", 2L), allocation("shop/web", "192.0.2.20"));
        AllocationTable small = table(Map.of("b", 1L), allocation("shop/web", "192.0.2.10"));
        TableMerge.Merged merged = merge(small, big, big);
        assertThat(merged.table().allocations()).containsExactly(allocation("shop/web", "192.0.2.20"));
        assertThat(merged.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.service()).isEqualTo(ServiceKey.parse("shop/web"));
            assertThat(conflict.message()).isEqualTo("after a partition: held [192.0.2.10] from lan on 1 member(s) and [192.0.2.20]"
                    + " from lan on 2; chose [192.0.2.20] (more members held it)");
        });
    }

    @Test
    void anAddressBothHalvesGaveAwayStaysWithOneServiceAndTheOtherLeavesTheTable() {
        AllocationTable left = table(Map.of("a", 2L), allocation("shop/alpha", "192.0.2.10"));
        AllocationTable right = table(Map.of("b", 1L), allocation("shop/beta", "192.0.2.10"), allocation("shop/gamma", "192.0.2.11"));
        TableMerge.Merged merged = merge(left, right);
        assertThat(merged.table().allocations()).containsExactly(allocation("shop/alpha", "192.0.2.10"), allocation("shop/gamma", "192.0.2.11"));
        assertThat(merged.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.service()).isEqualTo(ServiceKey.parse("shop/beta"));
            assertThat(conflict.message()).isEqualTo("after a partition: 192.0.2.10 is held by shop/alpha, which each half gave away"
                    + " on its own; shop/beta lets go of [192.0.2.10] and gets a new address");
        });
    }

    @Test
    void theLargerHalfKeepsAnAddressBothGaveAway() {
        AllocationTable left = table(Map.of("a", 2L), allocation("shop/alpha", "192.0.2.10"));
        AllocationTable right = table(Map.of("b", 1L), allocation("shop/beta", "192.0.2.10"));
        TableMerge.Merged merged = merge(left, right, right);
        assertThat(merged.table().allocations()).containsExactly(allocation("shop/beta", "192.0.2.10"));
        assertThat(merged.conflicts()).extracting(TableMerge.Conflict::service).containsExactly(ServiceKey.parse("shop/alpha"));
    }

    @Test
    void servicesThatSharedAnAddressInOneTableKeepSharingIt() {
        AllocationTable left = table(Map.of("a", 2L), allocation("shop/http", "192.0.2.10"), allocation("shop/dns", "192.0.2.10"));
        AllocationTable right = table(Map.of("b", 1L), allocation("shop/http", "192.0.2.10"));
        TableMerge.Merged merged = merge(left, right);
        assertThat(merged.table().allocations()).containsExactly(allocation("shop/dns", "192.0.2.10"), allocation("shop/http", "192.0.2.10"));
        assertThat(merged.conflicts()).isEmpty();
    }

    @Test
    void aDualStackLoserLetsGoOfBothFamilies() {
        AllocationTable left = table(Map.of("a", 2L), allocation("shop/alpha", "2001:db8::10"));
        AllocationTable right = table(Map.of("b", 1L), allocation("shop/beta", "192.0.2.10", "2001:db8::10"));
        TableMerge.Merged merged = merge(left, right);
        assertThat(merged.table().allocations()).containsExactly(allocation("shop/alpha", "2001:db8::10"));
    }
}
