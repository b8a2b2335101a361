package dev.berth.l2.allocator;

import dev.berth.l2.pool.AddressRange;
import dev.berth.l2.pool.IpFamily;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pools in force, indexed for the allocator: by name, by address (pools never overlap, so an
 * address has at most one pool), and in the order new allocations try them. Built once per
 * {@link Allocator#apply}; immutable.
 */
final class PoolTable {

    static final PoolTable EMPTY = new PoolTable(List.of());

    /** A pool with its ranges split by family and sorted, so the lowest free address is found range by range. */
    record Entry(AddressPool pool, List<AddressRange> ipv4, List<AddressRange> ipv6) {

        static Entry of(AddressPool pool) {
            Comparator<AddressRange> byFirst = Comparator.comparing(AddressRange::first);
            return new Entry(pool,
                    pool.addresses().stream().filter(r -> r.family() == IpFamily.IPV4).sorted(byFirst).toList(),
                    pool.addresses().stream().filter(r -> r.family() == IpFamily.IPV6).sorted(byFirst).toList());
        }

        String name() {
            return pool.name();
        }

        List<AddressRange> ranges(IpFamily family) {
            return family == IpFamily.IPV4 ? ipv4 : ipv6;
        }

        /** Whether a range of this pool covers {@code ip}, avoided or not. */
        boolean covers(Ip ip) {
            return ranges(ip.family()).stream()
                    .anyMatch(r -> r.first().compareTo(ip.value()) <= 0 && ip.value().compareTo(r.last()) <= 0);
        }

        /** Whether {@code ip} may be handed out from this pool. */
        boolean holds(Ip ip) {
            return covers(ip) && !avoids(ip);
        }

        boolean avoids(Ip ip) {
            return pool.avoidBuggyIPs() && ip.confusesBuggyFirmware();
        }
    }

    private record Located(AddressRange range, Entry entry) {}

    private final Map<String, Entry> byName = new TreeMap<>();
    private final Map<IpFamily, TreeMap<BigInteger, Located>> byFirst = new EnumMap<>(IpFamily.class);
    private final List<Entry> dedicated;
    private final List<Entry> general;

    /** Indexes {@code pools}, which must have passed {@link #problems}. */
    PoolTable(List<AddressPool> pools) {
        for (IpFamily family : IpFamily.values()) {
            byFirst.put(family, new TreeMap<>());
        }
        for (AddressPool pool : pools) {
            Entry entry = Entry.of(pool);
            byName.put(pool.name(), entry);
            pool.addresses().forEach(range -> byFirst.get(range.family()).put(range.first(), new Located(range, entry)));
        }
        Comparator<Entry> byRankThenName = Comparator
                .comparingInt((Entry e) -> e.pool().serviceAllocation().orElseThrow().rank())
                .thenComparing(Entry::name);
        dedicated = byName.values().stream()
                .filter(e -> e.pool().autoAssign() && e.pool().serviceAllocation().isPresent())
                .sorted(byRankThenName)
                .toList();
        general = byName.values().stream()
                .filter(e -> e.pool().autoAssign() && e.pool().serviceAllocation().isEmpty())
                .toList();
    }

    /** One line per reason to refuse {@code pools} as a whole: duplicate names, empty pools, overlaps. */
    static List<String> problems(List<AddressPool> pools) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (AddressPool pool : pools) {
            if (!names.add(pool.name())) {
                problems.add("pool " + pool.name() + " is defined twice (expected: unique pool names)");
            }
            if (pool.addresses().isEmpty()) {
                problems.add("pool " + pool.name() + " has no addresses (expected: at least one CIDR or range)");
            }
        }
        for (IpFamily family : IpFamily.values()) {
            problems.addAll(overlaps(pools, family));
        }
        return problems;
    }

    private static List<String> overlaps(List<AddressPool> pools, IpFamily family) {
        record Owned(String pool, AddressRange range) {}
        List<Owned> sorted = pools.stream()
                .flatMap(pool -> pool.addresses().stream().filter(r -> r.family() == family).map(r -> new Owned(pool.name(), r)))
                .sorted(Comparator.comparing((Owned o) -> o.range().first()))
                .toList();
        List<String> problems = new ArrayList<>();
        Owned reachesFurthest = null;
        for (Owned owned : sorted) {
            if (reachesFurthest != null && owned.range().first().compareTo(reachesFurthest.range().last()) <= 0) {
                problems.add("pool " + owned.pool() + " range " + describe(owned.range()) + " overlaps pool "
                        + reachesFurthest.pool() + " range " + describe(reachesFurthest.range())
                        + " (expected: pools that share no address)");
            }
            if (reachesFurthest == null || owned.range().last().compareTo(reachesFurthest.range().last()) > 0) {
                reachesFurthest = owned;
            }
        }
        return problems;
    }

    static String describe(AddressRange range) {
        return Ip.text(range.firstAddress()) + "-" + Ip.text(range.lastAddress());
    }

    Optional<Entry> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The pool whose range covers {@code ip}, even if that pool avoids it. */
    Optional<Entry> covering(Ip ip) {
        Map.Entry<BigInteger, Located> floor = byFirst.get(ip.family()).floorEntry(ip.value());
        if (floor == null || floor.getValue().range().last().compareTo(ip.value()) < 0) {
            return Optional.empty();
        }
        return Optional.of(floor.getValue().entry());
    }

    /** The pool that may hand out {@code ip}. */
    Optional<Entry> holding(Ip ip) {
        return covering(ip).filter(entry -> !entry.avoids(ip));
    }

    Collection<Entry> all() {
        return byName.values();
    }

    /** autoAssign pools with a serviceAllocation, best first: lower priority, unset last, then by name. */
    List<Entry> dedicated() {
        return dedicated;
    }

    /** autoAssign pools without a serviceAllocation, by name (MetalLB leaves this order to chance). */
    List<Entry> general() {
        return general;
    }

    /** {@code lan or web}: the pools that have addresses of {@code family}, for "expected:" messages. */
    String namesWith(IpFamily family) {
        List<String> names = byName.values().stream().filter(e -> !e.ranges(family).isEmpty()).map(Entry::name).toList();
        return String.join(" or ", names);
    }

    String names() {
        return String.join(", ", byName.keySet());
    }
}
