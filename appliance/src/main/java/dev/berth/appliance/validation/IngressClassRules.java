package dev.berth.appliance.validation;

import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;

/** IngressClass: a controller is named. A class without one is held back, as the API server would refuse it. */
final class IngressClassRules implements Validator.Rules {

    @Override
    public void check(Snapshot snapshot, Problems problems) {
        for (IngressClass ingressClass : snapshot.ingressClasses()) {
            String controller = ingressClass.getSpec() == null ? null : ingressClass.getSpec().getController();
            if (controller == null || controller.isBlank()) {
                problems.add(ObjectRef.of(Kind.INGRESS_CLASS, ingressClass), "spec.controller",
                        "missing (expected: a controller name such as berth.dev/ingress-controller)", Effect.HOLDS_OBJECT);
            }
        }
    }
}
