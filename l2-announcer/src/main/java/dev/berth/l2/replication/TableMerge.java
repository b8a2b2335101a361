package dev.berth.l2.replication;

import static java.util.Objects.requireNonNull;

import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.ServiceKey;
import dev.berth.l2.pool.IpText;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes one table of the tables the members of a view report — after a partition healed, both halves' coordinators
 * may have allocated. Pure: no clock, no I/O; the result does not depend on the order of the reports.
 *
 * <ol>
 *   <li>A table whose version another one {@linkplain TableVersion#covers covers} is stale and is left out (a node
 *       that was down, a member that missed the last table). If one table is left, it is the result as it is.</li>
 *   <li>Otherwise every Service in any remaining table keeps an allocation (clients may use it): where the tables
 *       disagree about a Service, the allocation that more members reported wins (the larger half, whose owner
 *       answered for more of the LAN), ties to the one whose addresses sort first. The other is reported.</li>
 *   <li>An address may end up held by two Services that never held it together in one table (each half gave it away
 *       on its own). Never two holders: the Service more members reported keeps it (ties: the first in
 *       {@link ServiceKey} order) and the other leaves the table, to get a new address from the coordinator's next
 *       allocation; reported. Services that shared an address in a table (sharing keys) keep sharing it.</li>
 *   <li>The result's version covers every report's and counts one more table by {@code merger}, so every member
 *       accepts it over its own.</li>
 * </ol>
 */
public final class TableMerge {

    private TableMerge() {}

    /** What the merge made, and each choice it had to make between allocations. */
    public record Merged(AllocationTable table, List<Conflict> conflicts) {
        public Merged {
            requireNonNull(table, "table");
            conflicts = List.copyOf(conflicts);
        }
    }

    /** One Service whose allocation was not kept as some member knew it. */
    public record Conflict(ServiceKey service, String message) {
        public Conflict {
            requireNonNull(service, "service");
            requireNonNull(message, "message");
        }
    }

    /** An allocation one of the remaining tables holds, and how many members reported it. */
    private record Candidate(Allocation allocation, int weight) {}

    public static Merged merge(List<AllocationTable> reports, String merger) {
        requireNonNull(merger, "merger");
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("reports: none (expected: at least the merger's own table)");
        }
        Map<AllocationTable, Integer> weights = new LinkedHashMap<>();
        reports.forEach(table -> weights.merge(requireNonNull(table, "report"), 1, Integer::sum));
        List<AllocationTable> current = weights.keySet().stream()
                .filter(table -> weights.keySet().stream().noneMatch(other -> strictlyNewer(other, table)))
                .toList();
        if (current.size() == 1) {
            return new Merged(current.getFirst(), List.of());
        }
        List<Conflict> conflicts = new ArrayList<>();
        List<Candidate> winners = chooseOnePerService(current, weights, conflicts);
        List<Allocation> kept = keepOneHolderPerAddress(winners, current, conflicts);
        TableVersion version = current.stream().map(AllocationTable::version).reduce(TableVersion.NONE, TableVersion::join).next(merger);
        conflicts.sort(Comparator.comparing(Conflict::service));
        return new Merged(new AllocationTable(version, kept), conflicts);
    }

    /** {@code newer} covers {@code older}'s version and is not the same version (equal versions are concurrent). */
    private static boolean strictlyNewer(AllocationTable newer, AllocationTable older) {
        return !newer.version().equals(older.version()) && newer.version().covers(older.version());
    }

    private static List<Candidate> chooseOnePerService(List<AllocationTable> current, Map<AllocationTable, Integer> weights,
            List<Conflict> conflicts) {
        Map<ServiceKey, Map<Allocation, Integer>> byService = new TreeMap<>();
        for (AllocationTable table : current) {
            for (Allocation allocation : table.allocations()) {
                byService.computeIfAbsent(allocation.service(), key -> new LinkedHashMap<>())
                        .merge(allocation, weights.get(table), Integer::sum);
            }
        }
        List<Candidate> winners = new ArrayList<>();
        byService.forEach((service, candidates) -> {
            List<Candidate> ranked = candidates.entrySet().stream()
                    .map(entry -> new Candidate(entry.getKey(), entry.getValue()))
                    .sorted(Comparator.comparingInt(Candidate::weight).reversed()
                            .thenComparing(candidate -> describe(candidate.allocation().ips()))
                            .thenComparing(candidate -> candidate.allocation().pool()))
                    .toList();
            Candidate winner = ranked.getFirst();
            winners.add(winner);
            for (Candidate loser : ranked.subList(1, ranked.size())) {
                conflicts.add(new Conflict(service, "after a partition: held " + describe(loser.allocation().ips()) + " from "
                        + loser.allocation().pool() + " on " + loser.weight() + " member(s) and " + describe(winner.allocation().ips())
                        + " from " + winner.allocation().pool() + " on " + winner.weight() + "; chose " + describe(winner.allocation().ips())
                        + (winner.weight() > loser.weight() ? " (more members held it)" : " (as many members held each: the lower address)")));
            }
        });
        return winners;
    }

    private static List<Allocation> keepOneHolderPerAddress(List<Candidate> winners, List<AllocationTable> current,
            List<Conflict> conflicts) {
        List<Candidate> ranked = new ArrayList<>(winners);
        ranked.sort(Comparator.comparingInt(Candidate::weight).reversed()
                .thenComparing(candidate -> candidate.allocation().service()));
        Map<InetAddress, List<ServiceKey>> holders = new HashMap<>();
        List<Allocation> kept = new ArrayList<>();
        for (Candidate candidate : ranked) {
            Allocation allocation = candidate.allocation();
            String clash = null;
            for (InetAddress ip : allocation.ips()) {
                for (ServiceKey holder : holders.getOrDefault(ip, List.of())) {
                    if (!heldTogether(current, ip, holder, allocation.service())) {
                        clash = IpText.of(ip) + " is held by " + holder;
                    }
                }
            }
            if (clash != null) {
                conflicts.add(new Conflict(allocation.service(), "after a partition: " + clash + ", which each half gave away on its own;"
                        + " " + allocation.service() + " lets go of " + describe(allocation.ips()) + " and gets a new address"));
                continue;
            }
            allocation.ips().forEach(ip -> holders.computeIfAbsent(ip, key -> new ArrayList<>()).add(allocation.service()));
            kept.add(allocation);
        }
        return kept;
    }

    /** Whether some table lets both Services hold {@code ip} at once: the allocator admitted them as sharers. */
    private static boolean heldTogether(List<AllocationTable> tables, InetAddress ip, ServiceKey one, ServiceKey other) {
        for (AllocationTable table : tables) {
            Set<ServiceKey> holders = new HashSet<>();
            for (Allocation allocation : table.allocations()) {
                if (allocation.ips().contains(ip)) {
                    holders.add(allocation.service());
                }
            }
            if (holders.contains(one) && holders.contains(other)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(List<InetAddress> ips) {
        return ips.stream().map(IpText::of).toList().toString();
    }
}
