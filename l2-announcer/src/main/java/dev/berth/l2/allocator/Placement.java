package dev.berth.l2.allocator;

import dev.berth.l2.allocator.Attempt.Chosen;
import dev.berth.l2.allocator.Attempt.Refused;
import dev.berth.l2.pool.IpFamily;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Decides where a request would go, without recording anything: the requested addresses checked, the
 * held addresses reused, or the best pool's lowest candidates chosen. {@link Allocator} drops the
 * Service's own holding from the book before asking, so a Service never conflicts with itself.
 */
final class Placement {

    private final PoolTable pools;
    private final AddressBook book;

    Placement(PoolTable pools, AddressBook book) {
        this.pools = pools;
        this.book = book;
    }

    /** Checks that {@code ips} (1 or 2, one per family) all lie in one pool that may hand them out. */
    Attempt locate(List<Ip> ips) {
        if (ips.isEmpty()) {
            return new Refused("no address given (expected: one IPv4 and/or one IPv6 address)");
        }
        if (ips.size() > 2) {
            return new Refused(ips.size() + " addresses " + list(ips) + " (expected: at most one IPv4 and one IPv6 address)");
        }
        if (ips.size() == 2 && ips.get(0).family() == ips.get(1).family()) {
            return new Refused(ips.get(0) + " and " + ips.get(1) + " are both " + ips.get(0).family()
                    + " (expected: one address per family)");
        }
        PoolTable.Entry pool = null;
        Ip first = null;
        for (Ip ip : ips) {
            Optional<PoolTable.Entry> holding = pools.holding(ip);
            if (holding.isEmpty()) {
                return new Refused(outsidePools(ip));
            }
            if (pool != null && pool != holding.get()) {
                return new Refused(first + " is in pool " + pool.name() + " but " + ip + " is in pool "
                        + holding.get().name() + " (expected: both addresses from one pool)");
            }
            pool = holding.get();
            first = ip;
        }
        return new Chosen(pool, ips);
    }

    private String outsidePools(Ip ip) {
        Optional<PoolTable.Entry> covering = pools.covering(ip);
        if (covering.isPresent()) {
            return ip + " is avoided by pool " + covering.get().name()
                    + ", which has avoidBuggyIPs (expected: an address not ending in .0 or .255)";
        }
        String names = pools.namesWith(ip.family());
        return names.isEmpty()
                ? ip + " is in no pool (expected: an address of a pool, but no pool has " + ip.family() + " addresses)"
                : ip + " is in no pool (expected: an address of pool " + names + ")";
    }

    /**
     * The requested addresses, if the request may have them. {@code checkAdmission} is false when the
     * Service already holds exactly these: a pool's serviceAllocation steers new choices, it never evicts.
     */
    Attempt requested(ServiceRequest request, SharingTerms terms, boolean checkAdmission) {
        List<Ip> ips = request.requestedIps().stream().map(Ip::of).toList();
        Attempt location = locate(ips);
        if (!(location instanceof Chosen located)) {
            return location;
        }
        for (Ip ip : ips) {
            if (!request.ipFamilies().contains(ip.family())) {
                return new Refused(ip + " is " + ip.family() + " (expected: an address of the Service's ipFamilies "
                        + request.ipFamilies() + ")");
            }
        }
        if (request.familyPolicy() == IpFamilyPolicy.REQUIRE_DUAL_STACK && ips.size() < 2) {
            return new Refused("only " + ips.get(0) + " requested for RequireDualStack"
                    + " (expected: one IPv4 and one IPv6 address)");
        }
        String poolName = located.pool().name();
        if (request.pool().isPresent() && !request.pool().get().equals(poolName)) {
            return new Refused(ips.get(0) + " is in pool " + poolName + " (expected: an address of the requested pool "
                    + request.pool().get() + ")");
        }
        if (checkAdmission) {
            Optional<String> refusal = admissionRefusal(located.pool(), request);
            if (refusal.isPresent()) {
                return new Refused(refusal.get());
            }
        }
        for (Ip ip : ips) {
            Optional<String> conflict = book.conflict(ip, request.service(), terms);
            if (conflict.isPresent()) {
                return new Refused(conflict.get());
            }
        }
        return new Chosen(located.pool(), ordered(ips, request.ipFamilies()));
    }

    /**
     * What the Service holds, kept as far as the request still allows: the held addresses of a wanted
     * family that still fit beside their neighbours, completed from the same pool. Empty when nothing
     * can be kept, or a required family cannot be added there.
     */
    Optional<Chosen> reuse(ServiceRequest request, SharingTerms terms, PoolTable.Entry pool, List<Ip> held) {
        if (request.pool().isPresent() && !request.pool().get().equals(pool.name())) {
            return Optional.empty();
        }
        Map<IpFamily, Ip> found = new EnumMap<>(IpFamily.class);
        for (Ip ip : held) {
            if (request.ipFamilies().contains(ip.family()) && book.conflict(ip, request.service(), terms).isEmpty()) {
                found.put(ip.family(), ip);
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        for (IpFamily family : request.ipFamilies()) {
            if (!found.containsKey(family)) {
                book.candidate(pool, family, request.service(), terms).ifPresent(ip -> found.put(family, ip));
            }
        }
        if (found.size() < request.ipFamilies().size() && !request.acceptsOneFamily()) {
            return Optional.empty();
        }
        return Optional.of(new Chosen(pool, ordered(List.copyOf(found.values()), request.ipFamilies())));
    }

    /** New addresses: from the named pool, or else from the best pool that admits the Service. */
    Attempt fresh(ServiceRequest request, SharingTerms terms) {
        if (request.pool().isPresent()) {
            return fromNamedPool(request, terms, request.pool().get());
        }
        List<PoolTable.Entry> dedicated = pools.dedicated().stream()
                .filter(pool -> admissionRefusal(pool, request).isEmpty())
                .toList();
        for (List<PoolTable.Entry> group : List.of(dedicated, pools.general())) {
            Optional<Chosen> chosen = best(group, request, terms);
            if (chosen.isPresent()) {
                return chosen.get();
            }
        }
        List<String> tried = Stream.concat(dedicated.stream(), pools.general().stream()).map(PoolTable.Entry::name).toList();
        if (tried.isEmpty()) {
            return new Refused("no pool serves " + request.service() + " (expected: an autoAssign pool that admits it,"
                    + " or an address-pool annotation naming one)");
        }
        return new Refused("no pool has a free " + familiesText(request) + " address for " + request.service()
                + " (expected: room in pool " + String.join(" or ", tried) + ")");
    }

    private Attempt fromNamedPool(ServiceRequest request, SharingTerms terms, String name) {
        Optional<PoolTable.Entry> pool = pools.named(name);
        if (pool.isEmpty()) {
            return new Refused("pool " + name + " does not exist (expected: "
                    + (pools.all().isEmpty() ? "a defined pool, but none is defined" : "one of " + pools.names()) + ")");
        }
        Optional<String> refusal = admissionRefusal(pool.get(), request);
        if (refusal.isPresent()) {
            return new Refused(refusal.get());
        }
        Map<IpFamily, Ip> found = candidates(pool.get(), request, terms);
        if (found.size() == request.ipFamilies().size() || (request.acceptsOneFamily() && !found.isEmpty())) {
            return new Chosen(pool.get(), ordered(List.copyOf(found.values()), request.ipFamilies()));
        }
        IpFamily missing = request.ipFamilies().stream().filter(f -> !found.containsKey(f)).findFirst().orElseThrow();
        if (pool.get().ranges(missing).isEmpty()) {
            return new Refused("pool " + name + " has no " + missing + " addresses (expected: a pool with "
                    + familiesText(request) + " addresses for " + request.familyPolicy() + ")");
        }
        return new Refused("pool " + name + " has no free " + missing + " address (expected: a released address or a larger pool)");
    }

    /**
     * MetalLB's choice within a group of pools: the first pool that has every wanted family; for
     * PreferDualStack, failing that, the first with the primary family, then the first with the other.
     */
    private Optional<Chosen> best(List<PoolTable.Entry> group, ServiceRequest request, SharingTerms terms) {
        Chosen primaryOnly = null;
        Chosen secondaryOnly = null;
        for (PoolTable.Entry pool : group) {
            Map<IpFamily, Ip> found = candidates(pool, request, terms);
            if (found.size() == request.ipFamilies().size()) {
                return Optional.of(new Chosen(pool, ordered(List.copyOf(found.values()), request.ipFamilies())));
            }
            if (request.acceptsOneFamily()) {
                Ip primary = found.get(request.ipFamilies().get(0));
                Ip secondary = found.get(request.ipFamilies().get(1));
                if (primary != null && primaryOnly == null) {
                    primaryOnly = new Chosen(pool, List.of(primary));
                }
                if (secondary != null && secondaryOnly == null) {
                    secondaryOnly = new Chosen(pool, List.of(secondary));
                }
            }
        }
        return Optional.ofNullable(primaryOnly != null ? primaryOnly : secondaryOnly);
    }

    private Map<IpFamily, Ip> candidates(PoolTable.Entry pool, ServiceRequest request, SharingTerms terms) {
        Map<IpFamily, Ip> found = new EnumMap<>(IpFamily.class);
        for (IpFamily family : request.ipFamilies()) {
            book.candidate(pool, family, request.service(), terms).ifPresent(ip -> found.put(family, ip));
        }
        return found;
    }

    private static Optional<String> admissionRefusal(PoolTable.Entry pool, ServiceRequest request) {
        return pool.pool().serviceAllocation().flatMap(allocation -> allocation.refusal(pool.name(), request));
    }

    /** Primary family first, as the Service lists its ipFamilies. */
    private static List<Ip> ordered(List<Ip> ips, List<IpFamily> families) {
        List<Ip> sorted = new ArrayList<>(ips);
        sorted.sort(Comparator.comparingInt((Ip ip) -> families.indexOf(ip.family())));
        return sorted;
    }

    private static String familiesText(ServiceRequest request) {
        return String.join(" and ", request.ipFamilies().stream().map(IpFamily::toString).toList());
    }

    private static String list(List<Ip> ips) {
        return String.join(", ", ips.stream().map(Ip::toString).toList());
    }
}
