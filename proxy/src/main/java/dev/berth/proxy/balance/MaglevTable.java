package dev.berth.proxy.balance;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Builds the lookup table of {@link MaglevBalancer} (Eisenbud et al., "Maglev", NSDI 2016): a prime number
 * of slots, at least {@value #SLOTS_PER_ENDPOINT} per endpoint, filled by letting endpoints take turns
 * claiming their next preferred free slot. Each endpoint's preference order is a permutation derived from
 * a hash of its address and port only, so removing one endpoint moves little more than its own slots.
 *
 * <p>That holds only while the table size stays the same, since a key's slot depends on it. So the table is
 * not sized to the exact count but to the next power of two: the prime at or above 100 × 1024 slots for
 * 513 to 1024 endpoints, and so on. Adding or removing endpoints moves few keys unless the count crosses a
 * power of two, when the table grows or shrinks and most keys move once. Up to 512 endpoints the table
 * has {@value #MINIMUM_SIZE} slots (Envoy's default): measured here, removing 1 of 10 endpoints then moves
 * about 0.3% of keys beyond the removed endpoint's own, where 160 slots per endpoint moved 2%.
 *
 * <p>Endpoints take turns in hash order, not list order, so every node of the appliance builds the same
 * table from the same endpoints however the API server listed them, and a client keeps its endpoint when
 * its traffic moves to another node. Heavier endpoints get turns more often (Envoy's weighting): one with
 * half the top weight takes a turn every second round.
 */
final class MaglevTable {

    /** Slots per endpoint; more slots make shares more even (within 1% here) and cost memory and build time. */
    static final int SLOTS_PER_ENDPOINT = 100;

    /** The smallest table, a prime: the fewer slots per endpoint, the more keys a removal moves needlessly. */
    static final int MINIMUM_SIZE = 65_537;

    private MaglevTable() {
    }

    /** The table: slot → endpoint index; empty for no endpoints. */
    static int[] build(EndpointSet endpoints) {
        int count = endpoints.size();
        if (count == 0) {
            return new int[0];
        }
        int size = primeAtLeast(Math.max(MINIMUM_SIZE, (long) SLOTS_PER_ENDPOINT * sizeStep(count)));
        long[] hashes = new long[count];
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            hashes[i] = hash(endpoints.get(i).address(), endpoints.get(i).port());
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> hashes[i]).thenComparing(i -> i));

        int[] weights = endpoints.weights();
        long maxWeight = Arrays.stream(weights).max().orElseThrow();
        int[] position = new int[count];
        int[] skip = new int[count];
        long[] target = new long[count];
        for (int i = 0; i < count; i++) {
            position[i] = (int) Long.remainderUnsigned(LoopRandom.mix(hashes[i] ^ 0x5851F42D4C957F2DL), size);
            skip[i] = (int) Long.remainderUnsigned(LoopRandom.mix(hashes[i] ^ 0x14057B7EF767814FL), size - 1) + 1;
        }

        int[] table = new int[size];
        Arrays.fill(table, -1);
        int filled = 0;
        for (long round = 0; ; round++) {
            for (int endpoint : order) {
                if (round * weights[endpoint] < target[endpoint]) {
                    continue;
                }
                target[endpoint] += maxWeight;
                int slot = position[endpoint];
                while (table[slot] >= 0) {
                    slot = next(slot, skip[endpoint], size);
                }
                table[slot] = endpoint;
                position[endpoint] = next(slot, skip[endpoint], size);
                if (++filled == size) {
                    return table;
                }
            }
        }
    }

    /** The endpoint count the table is sized for: the power of two at or above {@code count}. */
    static long sizeStep(int count) {
        return count <= 1 ? 1 : Long.highestOneBit(count - 1L) << 1;
    }

    /** The next slot of a permutation (offset + j × skip) mod size, without a division. */
    private static int next(int slot, int skip, int size) {
        int next = slot + skip;
        return next >= size ? next - size : next;
    }

    /** 64-bit FNV-1a of the address bytes and port, mixed; stable across JVMs and nodes. */
    static long hash(InetAddress address, int port) {
        long hash = 0xCBF29CE484222325L;
        for (byte b : address.getAddress()) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001B3L;
        }
        hash = (hash ^ (port >>> 8)) * 0x100000001B3L;
        hash = (hash ^ (port & 0xFF)) * 0x100000001B3L;
        return LoopRandom.mix(hash);
    }

    static int primeAtLeast(long minimum) {
        if (minimum > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("table size: " + minimum + " (expected: <= " + Integer.MAX_VALUE
                    + "; too many endpoints for one Maglev table)");
        }
        long candidate = Math.max(minimum, 2);
        while (!isPrime(candidate)) {
            candidate++;
        }
        return (int) candidate;
    }

    private static boolean isPrime(long n) {
        if (n < 4) {
            return n >= 2;
        }
        if (n % 2 == 0) {
            return false;
        }
        for (long divisor = 3; divisor * divisor <= n; divisor += 2) {
            if (n % divisor == 0) {
                return false;
            }
        }
        return true;
    }
}
