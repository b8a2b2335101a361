package dev.berth.l2.pool;

/** The two address families a pool may hold; a range never mixes them. */
public enum IpFamily {
    IPV4(32),
    IPV6(128);

    private final int bits;

    IpFamily(int bits) {
        this.bits = bits;
    }

    /** Address length in bits: 32 or 128. */
    public int bits() {
        return bits;
    }

    @Override
    public String toString() {
        return this == IPV4 ? "IPv4" : "IPv6";
    }
}
