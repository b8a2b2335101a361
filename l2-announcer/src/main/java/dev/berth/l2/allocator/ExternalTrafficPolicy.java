package dev.berth.l2.allocator;

/**
 * A Service's {@code spec.externalTrafficPolicy}. Services sharing an address must agree on it, and
 * {@code Local} ones must also select the same pods, since one node answers for the address.
 */
public enum ExternalTrafficPolicy {
    CLUSTER("Cluster"),
    LOCAL("Local");

    private final String text;

    ExternalTrafficPolicy(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
