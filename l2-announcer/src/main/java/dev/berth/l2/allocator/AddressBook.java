package dev.berth.l2.allocator;

import dev.berth.l2.pool.AddressRange;
import dev.berth.l2.pool.IpFamily;
import java.math.BigInteger;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who holds which address, under which sharing terms: the allocator's mutable state below the
 * per-Service view. It answers the three questions allocation asks — is this address free, may this
 * newcomer share it, which is the lowest candidate in a pool — in time logarithmic in the number of
 * allocations. Callers check before they {@link #hold}; the book itself never refuses.
 */
final class AddressBook {

    /** Holders per address, sorted so that a conflict message always names the same holder. */
    private final Map<Ip, TreeMap<ServiceKey, SharingTerms>> holders = new HashMap<>();
    private final Map<IpFamily, UsedRuns> used = new EnumMap<>(IpFamily.class);
    /** Addresses per sharing key: every holder of one address carries the same key. */
    private final Map<String, NavigableSet<Ip>> bySharingKey = new HashMap<>();

    AddressBook() {
        for (IpFamily family : IpFamily.values()) {
            used.put(family, new UsedRuns());
        }
    }

    void hold(ServiceKey service, List<Ip> ips, SharingTerms terms) {
        for (Ip ip : ips) {
            holders.computeIfAbsent(ip, unused -> new TreeMap<>()).put(service, terms);
            used.get(ip.family()).add(ip.value());
            terms.key().ifPresent(key -> bySharingKey.computeIfAbsent(key, unused -> new TreeSet<>()).add(ip));
        }
    }

    void drop(ServiceKey service, List<Ip> ips) {
        for (Ip ip : ips) {
            TreeMap<ServiceKey, SharingTerms> onIp = holders.get(ip);
            SharingTerms terms = onIp == null ? null : onIp.remove(service);
            if (terms == null || !onIp.isEmpty()) {
                continue;
            }
            holders.remove(ip);
            used.get(ip.family()).remove(ip.value());
            // Only the last holder's leaving frees the address, so only then does it leave the key index.
            terms.key().ifPresent(key -> {
                NavigableSet<Ip> ipsOfKey = bySharingKey.get(key);
                ipsOfKey.remove(ip);
                if (ipsOfKey.isEmpty()) {
                    bySharingKey.remove(key);
                }
            });
        }
    }

    /** Why {@code service} may not hold {@code ip} under {@code terms}, or empty when it may. */
    Optional<String> conflict(Ip ip, ServiceKey service, SharingTerms terms) {
        TreeMap<ServiceKey, SharingTerms> onIp = holders.get(ip);
        if (onIp == null) {
            return Optional.empty();
        }
        for (Map.Entry<ServiceKey, SharingTerms> holder : onIp.entrySet()) {
            if (!holder.getKey().equals(service)) {
                Optional<String> conflict = terms.conflictWith(ip, holder.getKey(), holder.getValue());
                if (conflict.isPresent()) {
                    return conflict;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The lowest address of {@code family} in {@code pool} for a newcomer: an address already shared under
     * its key if one can take it (so Services with one key end up together even when a lower address is
     * free), otherwise the lowest free one.
     */
    Optional<Ip> candidate(PoolTable.Entry pool, IpFamily family, ServiceKey service, SharingTerms terms) {
        Optional<Ip> shared = terms.key().flatMap(key -> lowestShareable(key, pool, family, service, terms));
        return shared.isPresent() ? shared : lowestFree(pool, family);
    }

    private Optional<Ip> lowestShareable(String key, PoolTable.Entry pool, IpFamily family, ServiceKey service,
                                         SharingTerms terms) {
        NavigableSet<Ip> ipsOfKey = bySharingKey.get(key);
        if (ipsOfKey == null) {
            return Optional.empty();
        }
        for (Ip ip : ipsOfKey.tailSet(new Ip(family, BigInteger.ZERO), true)) {
            if (ip.family() != family) {
                break;
            }
            if (pool.holds(ip) && conflict(ip, service, terms).isEmpty()) {
                return Optional.of(ip);
            }
        }
        return Optional.empty();
    }

    private Optional<Ip> lowestFree(PoolTable.Entry pool, IpFamily family) {
        UsedRuns runs = used.get(family);
        for (AddressRange range : pool.ranges(family)) {
            Optional<BigInteger> free = runs.lowestFree(range, pool.pool().avoidBuggyIPs());
            if (free.isPresent()) {
                return Optional.of(new Ip(family, free.get()));
            }
        }
        return Optional.empty();
    }

    BigInteger usedIn(AddressRange range) {
        return used.get(range.family()).countIn(range);
    }
}
