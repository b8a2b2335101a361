package dev.berth.l2.allocator;

import dev.berth.l2.pool.AddressRange;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The addresses in use of one family, kept as maximal runs {@code first..last}. Memory grows with the
 * number of runs (at most the number of allocations), never with pool size, and the lowest free address
 * of a range is found by jumping from run to run instead of testing address after address; an IPv6 /64
 * costs what a /24 does. Pools never overlap, so one instance per family serves every pool.
 */
final class UsedRuns {

    private final TreeMap<BigInteger, BigInteger> runs = new TreeMap<>();

    boolean contains(BigInteger value) {
        Map.Entry<BigInteger, BigInteger> run = runs.floorEntry(value);
        return run != null && run.getValue().compareTo(value) >= 0;
    }

    /** Marks {@code value} used, merging with the runs that end just before or start just after it. */
    void add(BigInteger value) {
        if (contains(value)) {
            return;
        }
        BigInteger first = value;
        BigInteger last = value;
        Map.Entry<BigInteger, BigInteger> before = runs.floorEntry(value);
        if (before != null && before.getValue().add(BigInteger.ONE).equals(value)) {
            first = before.getKey();
        }
        BigInteger afterLast = runs.remove(value.add(BigInteger.ONE));
        if (afterLast != null) {
            last = afterLast;
        }
        runs.put(first, last);
    }

    /** Marks {@code value} free, splitting its run in two when it sat in the middle. */
    void remove(BigInteger value) {
        Map.Entry<BigInteger, BigInteger> run = runs.floorEntry(value);
        if (run == null || run.getValue().compareTo(value) < 0) {
            return;
        }
        runs.remove(run.getKey());
        if (run.getKey().compareTo(value) < 0) {
            runs.put(run.getKey(), value.subtract(BigInteger.ONE));
        }
        if (run.getValue().compareTo(value) > 0) {
            runs.put(value.add(BigInteger.ONE), run.getValue());
        }
    }

    /** The lowest address of {@code range} that is not used (and not buggy, when {@code avoidBuggy}). */
    Optional<BigInteger> lowestFree(AddressRange range, boolean avoidBuggy) {
        BigInteger candidate = range.first();
        while (candidate.compareTo(range.last()) <= 0) {
            if (avoidBuggy && Ip.isBuggy(range.family(), candidate)) {
                candidate = candidate.add(BigInteger.ONE);
                continue;
            }
            Map.Entry<BigInteger, BigInteger> run = runs.floorEntry(candidate);
            if (run != null && run.getValue().compareTo(candidate) >= 0) {
                candidate = run.getValue().add(BigInteger.ONE);
                continue;
            }
            return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** How many addresses of {@code range} are used. */
    BigInteger countIn(AddressRange range) {
        BigInteger count = BigInteger.ZERO;
        BigInteger from = runs.floorKey(range.first());
        var overlapping = runs.subMap(from == null ? range.first() : from, true, range.last(), true);
        for (Map.Entry<BigInteger, BigInteger> run : overlapping.entrySet()) {
            BigInteger first = run.getKey().max(range.first());
            BigInteger last = run.getValue().min(range.last());
            if (first.compareTo(last) <= 0) {
                count = count.add(last.subtract(first).add(BigInteger.ONE));
            }
        }
        return count;
    }

    /** How many IPv4 addresses of {@code range} end in .0 or .255. */
    static BigInteger buggyCount(AddressRange range) {
        return buggyUpTo(range.last()).subtract(buggyUpTo(range.first().subtract(BigInteger.ONE)));
    }

    /** Count of x in [0, n] with x mod 256 in {0, 255}; n may be -1. */
    private static BigInteger buggyUpTo(BigInteger n) {
        if (n.signum() < 0) {
            return BigInteger.ZERO;
        }
        BigInteger block = BigInteger.valueOf(256);
        BigInteger endingInZero = n.divide(block).add(BigInteger.ONE);
        BigInteger endingIn255 = n.add(BigInteger.ONE).divide(block);
        return endingInZero.add(endingIn255);
    }
}
