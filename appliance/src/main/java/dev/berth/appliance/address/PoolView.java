package dev.berth.appliance.address;

import java.math.BigInteger;

/**
 * One pool's usage for {@code /api/pools}: totals per family as decimal numbers (an IPv6 /64 exceeds a long).
 */
public record PoolView(String name, Family ipv4, Family ipv6) {

    public record Family(BigInteger total, BigInteger used, BigInteger free) {
    }
}
