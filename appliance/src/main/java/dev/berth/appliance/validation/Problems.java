package dev.berth.appliance.validation;

import dev.berth.appliance.snapshot.ObjectRef;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one object with one effect; rule classes write into it. */
final class Problems {
    private final List<Problem> found = new ArrayList<>();

    void add(ObjectRef ref, String field, String message, Effect effect) {
        found.add(Problem.of(ref, field, message, effect));
    }

    List<Problem> list() {
        return List.copyOf(found);
    }
}
