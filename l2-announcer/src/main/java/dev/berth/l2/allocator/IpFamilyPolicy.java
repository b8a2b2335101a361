package dev.berth.l2.allocator;

/**
 * A Service's {@code spec.ipFamilyPolicy}: how many of its {@code ipFamilies} must get an address.
 * PreferDualStack takes one family when a pool cannot give both; RequireDualStack fails instead.
 */
public enum IpFamilyPolicy {
    SINGLE_STACK("SingleStack"),
    PREFER_DUAL_STACK("PreferDualStack"),
    REQUIRE_DUAL_STACK("RequireDualStack");

    private final String text;

    IpFamilyPolicy(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
