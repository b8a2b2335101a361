package dev.berth.l2.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random reports — few Services, few addresses, small versions, so that tables are stale, concurrent and clash — and
 * what must hold for every merge: one holder per address unless a table had them share it, nothing invented, nobody
 * forgotten without a conflict, a version that covers every report, and no dependence on the order of the reports.
 */
class TableMergePropertiesTest {

    private static final List<String> NODES = List.of("a", "b", "c");
    private static final List<String> SERVICES = List.of("shop/s0", "shop/s1", "shop/s2", "shop/s3", "shop/s4");
    private static final List<String> ADDRESSES = List.of("192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13");

    @Property(tries = 1_000)
    void everyMergeIsSafeCompleteAndOrderFree(@ForAll("reports") List<AllocationTable> reports, @ForAll Random random) {
        TableMerge.Merged merged = TableMerge.merge(reports, "a");
        List<AllocationTable> current = reports.stream()
                .filter(table -> reports.stream().noneMatch(other -> !other.version().equals(table.version()) && other.version().covers(table.version())))
                .toList();

        Map<InetAddress, List<ServiceKey>> holders = new TreeMap<>((x, y) -> x.getHostAddress().compareTo(y.getHostAddress()));
        for (Allocation allocation : merged.table().allocations()) {
            assertThat(current.stream().anyMatch(table -> table.allocations().contains(allocation)))
                    .as("%s comes from a current report", allocation).isTrue();
            allocation.ips().forEach(ip -> holders.computeIfAbsent(ip, key -> new ArrayList<>()).add(allocation.service()));
        }
        holders.forEach((ip, services) -> {
            for (ServiceKey one : services) {
                for (ServiceKey other : services) {
                    if (!one.equals(other)) {
                        assertThat(current.stream().anyMatch(table -> holds(table, one, ip) && holds(table, other, ip)))
                                .as("%s and %s share %s only if a report had them share it", one, other, ip).isTrue();
                    }
                }
            }
        });

        Set<ServiceKey> kept = new HashSet<>();
        merged.table().allocations().forEach(allocation -> kept.add(allocation.service()));
        Set<ServiceKey> reported = new HashSet<>();
        merged.conflicts().forEach(conflict -> reported.add(conflict.service()));
        for (AllocationTable table : current) {
            for (Allocation allocation : table.allocations()) {
                assertThat(kept.contains(allocation.service()) || reported.contains(allocation.service()))
                        .as("%s is kept or reported", allocation.service()).isTrue();
            }
        }
        reports.forEach(report -> assertThat(merged.table().version().covers(report.version())).isTrue());

        List<AllocationTable> shuffled = new ArrayList<>(reports);
        Collections.shuffle(shuffled, random);
        assertThat(TableMerge.merge(shuffled, "a")).isEqualTo(merged);
        assertThat(TableMerge.merge(List.of(merged.table(), reports.getFirst()), "a"))
                .as("the result supersedes every report").isEqualTo(new TableMerge.Merged(merged.table(), List.of()));
    }

    private static boolean holds(AllocationTable table, ServiceKey service, InetAddress ip) {
        return table.allocations().stream().anyMatch(allocation -> allocation.service().equals(service) && allocation.ips().contains(ip));
    }

    @Provide
    Arbitrary<List<AllocationTable>> reports() {
        return table().list().ofMinSize(1).ofMaxSize(5);
    }

    private Arbitrary<AllocationTable> table() {
        Arbitrary<Map<String, Long>> version = Arbitraries.maps(Arbitraries.of(NODES), Arbitraries.longs().between(1, 3)).ofMaxSize(3);
        Arbitrary<Map<String, String>> allocations = Arbitraries.maps(Arbitraries.of(SERVICES), Arbitraries.of(ADDRESSES)).ofMaxSize(5);
        return Combinators.combine(version, allocations).as((counters, held) -> new AllocationTable(new TableVersion(counters),
                held.entrySet().stream()
                        .map(entry -> new Allocation(ServiceKey.parse(entry.getKey()), "lan", List.of(InetAddress.ofLiteral(entry.getValue()))))
                        .toList()));
    }
}
