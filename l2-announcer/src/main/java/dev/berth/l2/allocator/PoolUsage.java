package dev.berth.l2.allocator;

import java.math.BigInteger;
import java.util.Objects;

/**
 * How full one pool is, per family, for {@code /api/pools}. BigInteger because an IPv6 /64 holds 2^64
 * addresses. A shared address counts once; addresses avoided by avoidBuggyIPs do not count at all.
 */
public record PoolUsage(String pool, FamilyUsage ipv4, FamilyUsage ipv6) {

    public PoolUsage {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(ipv6, "ipv6");
    }

    /** Counts of one family; {@code free = total - used}. */
    public record FamilyUsage(BigInteger total, BigInteger used, BigInteger free) {

        public FamilyUsage {
            Objects.requireNonNull(total, "total");
            Objects.requireNonNull(used, "used");
            Objects.requireNonNull(free, "free");
            if (!total.subtract(used).equals(free) || free.signum() < 0) {
                throw new IllegalArgumentException("total " + total + ", used " + used + ", free " + free
                        + " (expected: free = total - used >= 0)");
            }
        }

        public static FamilyUsage of(BigInteger total, BigInteger used) {
            return new FamilyUsage(total, used, total.subtract(used));
        }
    }
}
