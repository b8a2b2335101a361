package dev.berth.appliance.validation;

import dev.berth.appliance.snapshot.Snapshot;
import java.util.List;

/**
 * Validates a whole Snapshot: every object on its own and the relations between objects (pool overlaps,
 * Ingress backends naming Service ports). Pure: the same Snapshot always gives the same problems, in order.
 */
public final class Validator {

    private static final List<Rules> RULES = List.of(
            new PoolRules(),
            new AdvertisementRules(),
            new IngressClassRules(),
            new IngressRules(),
            new SecretRules(),
            new EndpointSliceRules());

    private Validator() {
    }

    public static List<Problem> validate(Snapshot snapshot) {
        Problems problems = new Problems();
        for (Rules rules : RULES) {
            rules.check(snapshot, problems);
        }
        return problems.list();
    }

    /** One kind's rules; each rule class documents the effect its problems have. */
    interface Rules {
        void check(Snapshot snapshot, Problems problems);
    }
}
