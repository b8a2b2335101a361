package dev.berth.appliance.validation;

/**
 * What a problem does to the configuration that contains it. Decided per kind, documented in the README
 * ("What a problem does"), never silently half-applied.
 */
public enum Effect {
    /**
     * The whole new configuration is refused and the last good one keeps serving. For unreadable files and
     * for the address plane (pools, advertisements), where applying part could move or release an IP.
     */
    REJECTS_CONFIG("configuration rejected"),
    /**
     * This object is not applied; its last good version, if any, keeps serving, and every other object is
     * applied. For Ingresses and Secrets, so that one tenant's typo does not freeze everyone's routes.
     */
    HOLDS_OBJECT("object held at its last good version"),
    /** Applied as written and reported, because the state is legal and may be transient (e.g. a missing Service). */
    WARNS("applied, with a warning");

    private final String description;

    Effect(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
