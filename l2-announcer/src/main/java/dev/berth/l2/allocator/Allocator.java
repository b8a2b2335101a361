package dev.berth.l2.allocator;

import dev.berth.l2.allocator.AssignResult.Allocated;
import dev.berth.l2.allocator.AssignResult.Change;
import dev.berth.l2.allocator.AssignResult.Rejected;
import dev.berth.l2.allocator.Attempt.Chosen;
import dev.berth.l2.allocator.Attempt.Refused;
import dev.berth.l2.allocator.PoolsResult.Applied;
import dev.berth.l2.allocator.PoolsResult.Released;
import dev.berth.l2.allocator.RestoreReport.Conflict;
import dev.berth.l2.pool.AddressRange;
import dev.berth.l2.pool.IpFamily;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The address plane's allocator: which Service holds which LoadBalancer address. Pure and in memory —
 * the appliance feeds it pools ({@link #apply}), existing allocations at start ({@link #restore}) and
 * Service requests ({@link #assign}, {@link #release}), and writes what it answers to Service status.
 *
 * <p>Stability is the point: an allocation moves only when its own Service's request no longer fits it,
 * or its pool stops holding its address. Another Service's change, a pool edit that keeps the address, or
 * a restart (restore first, then assign) leaves it alone. New allocations take the lowest candidate of the
 * best pool, so the outcome never depends on the order in which unchanged Services are assigned again.
 *
 * <p>Not thread-safe: one reconcile loop owns it.
 */
public final class Allocator {

    /** An allocation with what the book needs to undo it and to judge newcomers beside it. */
    private record Holding(Allocation allocation, List<Ip> ips, SharingTerms terms) {}

    private final AddressBook book = new AddressBook();
    private final Map<ServiceKey, Holding> holdings = new HashMap<>();
    private PoolTable pools = PoolTable.EMPTY;

    /**
     * Puts {@code newPools} in force, or refuses them whole (duplicate names, empty pools, overlaps) and
     * keeps the previous ones. Allocations whose addresses the new pools still hold stay where they are,
     * filed under the pool that now holds them; the others are released and listed.
     */
    public PoolsResult apply(List<AddressPool> newPools) {
        List<AddressPool> copy = List.copyOf(newPools);
        List<String> problems = PoolTable.problems(copy);
        if (!problems.isEmpty()) {
            return new PoolsResult.Rejected(problems);
        }
        PoolTable next = new PoolTable(copy);
        List<Released> released = new ArrayList<>();
        for (ServiceKey service : new TreeSet<>(holdings.keySet())) {
            Holding holding = holdings.get(service);
            Attempt located = new Placement(next, book).locate(holding.ips());
            if (located instanceof Chosen chosen) {
                Allocation refiled = new Allocation(service, chosen.pool().name(), holding.allocation().ips());
                holdings.put(service, new Holding(refiled, holding.ips(), holding.terms()));
            } else {
                book.drop(service, holding.ips());
                holdings.remove(service);
                released.add(new Released(holding.allocation(), lossReason(next, holding)));
            }
        }
        pools = next;
        return new Applied(released);
    }

    private static String lossReason(PoolTable next, Holding holding) {
        String pool = holding.allocation().pool();
        for (Ip ip : holding.ips()) {
            Optional<PoolTable.Entry> holder = next.holding(ip);
            if (holder.isEmpty()) {
                return next.named(pool).isEmpty() ? "pool " + pool + " was removed"
                        : next.covering(ip).isPresent() ? "pool " + next.covering(ip).get().name() + " now avoids " + ip
                        : "no pool contains " + ip + " any more";
            }
        }
        return "no single pool contains " + Ip.describe(holding.allocation().ips()) + " any more";
    }

    /**
     * Gives {@code request} its addresses: the ones it holds if they still fit the request, else the
     * requested ones, else the lowest candidates of the best pool. Idempotent for an unchanged request.
     * A request that cannot be met leaves the Service with what it held (see {@link Rejected#kept}).
     */
    public AssignResult assign(ServiceRequest request) {
        Objects.requireNonNull(request, "request");
        ServiceKey service = request.service();
        SharingTerms terms = SharingTerms.of(request);
        Holding held = holdings.get(service);
        if (held != null) {
            // Out of the book while deciding, so the Service never conflicts with its own addresses.
            book.drop(service, held.ips());
        }
        Attempt attempt = decide(request, terms, held);
        if (attempt instanceof Chosen chosen) {
            Allocation allocation = new Allocation(service, chosen.pool().name(), addresses(chosen.ips()));
            book.hold(service, chosen.ips(), terms);
            holdings.put(service, new Holding(allocation, chosen.ips(), terms));
            Change change = held == null ? Change.NEW
                    : sameAddresses(held, chosen) ? Change.UNCHANGED : Change.CHANGED;
            return new Allocated(allocation, change);
        }
        return reject(service, terms, held, ((Refused) attempt).problem());
    }

    /** Same pool, same addresses; the order may differ (a restored status lists them as it found them). */
    private static boolean sameAddresses(Holding held, Chosen chosen) {
        return held.allocation().pool().equals(chosen.pool().name()) && Set.copyOf(held.ips()).equals(Set.copyOf(chosen.ips()));
    }

    private Attempt decide(ServiceRequest request, SharingTerms terms, Holding held) {
        Placement placement = new Placement(pools, book);
        if (!request.requestedIps().isEmpty()) {
            boolean holdsExactly = held != null
                    && Set.copyOf(held.ips()).equals(Set.copyOf(request.requestedIps().stream().map(Ip::of).toList()));
            return placement.requested(request, terms, !holdsExactly);
        }
        if (held != null) {
            PoolTable.Entry pool = pools.named(held.allocation().pool()).orElseThrow();
            Optional<Chosen> reused = placement.reuse(request, terms, pool, held.ips());
            if (reused.isPresent()) {
                return reused.get();
            }
        }
        return placement.fresh(request, terms);
    }

    /**
     * The Service keeps what it held, now under its new sharing terms — unless those terms make a held
     * address illegal beside its other holders. Keeping it then would leave a state that a restart could
     * not restore, so the allocation is released instead.
     */
    private Rejected reject(ServiceKey service, SharingTerms terms, Holding held, String problem) {
        if (held == null) {
            return new Rejected(service, problem, Optional.empty());
        }
        boolean fits = held.ips().stream().allMatch(ip -> book.conflict(ip, service, terms).isEmpty());
        if (!fits) {
            holdings.remove(service);
            return new Rejected(service, problem + "; released " + Ip.describe(held.allocation().ips())
                    + " since its new sharing terms no longer allow it there", Optional.empty());
        }
        book.hold(service, held.ips(), terms);
        holdings.put(service, new Holding(held.allocation(), held.ips(), terms));
        return new Rejected(service, problem, Optional.of(held.allocation()));
    }

    /** Frees what {@code service} holds; an address shared with others stays theirs. */
    public Optional<Allocation> release(ServiceKey service) {
        Holding holding = holdings.remove(Objects.requireNonNull(service, "service"));
        if (holding == null) {
            return Optional.empty();
        }
        book.drop(service, holding.ips());
        return Optional.of(holding.allocation());
    }

    /**
     * Takes back the allocations found at start, before any new {@link #assign}; call {@link #apply}
     * first. Each is restored if its addresses lie in one pool and fit beside those restored before it
     * (in {@link ServiceKey} order, so the input's order does not matter). Conflicts are reported, never
     * overwritten. A pool's serviceAllocation is not consulted: it steers new choices, it never evicts.
     */
    public RestoreReport restore(List<ExistingAllocation> existing) {
        List<ExistingAllocation> sorted = new ArrayList<>(existing);
        sorted.sort(Comparator.comparing((ExistingAllocation e) -> e.request().service()));
        Map<ServiceKey, Allocation> restored = new LinkedHashMap<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (ExistingAllocation entry : sorted) {
            ServiceKey service = entry.request().service();
            List<Ip> ips = entry.ips().stream().map(Ip::of).toList();
            Optional<String> problem = restoreOne(entry.request(), ips);
            if (problem.isPresent()) {
                conflicts.add(new Conflict(service, entry.ips(), problem.get()));
            } else {
                restored.put(service, holdings.get(service).allocation());
            }
        }
        return new RestoreReport(List.copyOf(restored.values()), conflicts);
    }

    private Optional<String> restoreOne(ServiceRequest request, List<Ip> ips) {
        ServiceKey service = request.service();
        SharingTerms terms = SharingTerms.of(request);
        Holding held = holdings.get(service);
        if (held != null) {
            return Set.copyOf(held.ips()).equals(Set.copyOf(ips)) ? Optional.empty()
                    : Optional.of(service + " already holds " + Ip.describe(held.allocation().ips())
                    + " (expected: one allocation per Service)");
        }
        Attempt located = new Placement(pools, book).locate(ips);
        if (located instanceof Refused refused) {
            return Optional.of(refused.problem());
        }
        for (Ip ip : ips) {
            Optional<String> conflict = book.conflict(ip, service, terms);
            if (conflict.isPresent()) {
                return conflict;
            }
        }
        Allocation allocation = new Allocation(service, ((Chosen) located).pool().name(), addresses(ips));
        book.hold(service, ips, terms);
        holdings.put(service, new Holding(allocation, ips, terms));
        return Optional.empty();
    }

    public Optional<Allocation> allocation(ServiceKey service) {
        return Optional.ofNullable(holdings.get(service)).map(Holding::allocation);
    }

    /** Every allocation, in {@link ServiceKey} order. */
    public List<Allocation> allocations() {
        return holdings.values().stream()
                .map(Holding::allocation)
                .sorted(Comparator.comparing(Allocation::service))
                .toList();
    }

    /** Usage of every pool in force, by pool name. */
    public List<PoolUsage> usage() {
        return pools.all().stream().map(this::usageOf).toList();
    }

    public Optional<PoolUsage> usage(String pool) {
        return pools.named(pool).map(this::usageOf);
    }

    private PoolUsage usageOf(PoolTable.Entry pool) {
        return new PoolUsage(pool.name(), familyUsage(pool, IpFamily.IPV4), familyUsage(pool, IpFamily.IPV6));
    }

    private PoolUsage.FamilyUsage familyUsage(PoolTable.Entry pool, IpFamily family) {
        BigInteger total = BigInteger.ZERO;
        BigInteger used = BigInteger.ZERO;
        for (AddressRange range : pool.ranges(family)) {
            BigInteger avoided = pool.pool().avoidBuggyIPs() ? UsedRuns.buggyCount(range) : BigInteger.ZERO;
            total = total.add(range.size().subtract(avoided));
            used = used.add(book.usedIn(range));
        }
        return PoolUsage.FamilyUsage.of(total, used);
    }

    private static List<InetAddress> addresses(List<Ip> ips) {
        return ips.stream().map(Ip::toInetAddress).toList();
    }
}
