package dev.berth.appliance.translate;

import dev.berth.appliance.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which Ingresses of a Snapshot Berth serves, oldest first. An Ingress is Berth's when its
 * {@code spec.ingressClassName} names an IngressClass whose controller is Berth's; when it names no class but
 * carries the legacy {@code kubernetes.io/ingress.class} annotation naming such a class; or when it names
 * nothing and one of Berth's IngressClasses is marked the cluster default. The API server refuses an Ingress
 * that sets both the field and the annotation, so their order does not matter.
 */
final class BerthIngresses {
    static final String CONTROLLER = "berth.dev/ingress-controller";
    static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    /**
     * Oldest first, as the rank that breaks ties between equal paths of different Ingresses: an Ingress without
     * a (readable) creationTimestamp comes after every dated one, then namespace and name keep the order total.
     */
    private static final Comparator<Ingress> AGE = Comparator
            .comparing((Ingress ingress) -> createdAt(ingress).orElse(Instant.MAX))
            .thenComparing(ingress -> ingress.getMetadata().getNamespace(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(ingress -> ingress.getMetadata().getName());

    private BerthIngresses() {
    }

    /** Berth's Ingresses, oldest first; the index in this list is each one's rank. */
    static List<Ingress> oldestFirst(Snapshot snapshot) {
        Set<String> classes = snapshot.ingressClasses().stream()
                .filter(ingressClass -> ingressClass.getSpec() != null && CONTROLLER.equals(ingressClass.getSpec().getController()))
                .map(ingressClass -> ingressClass.getMetadata().getName())
                .collect(Collectors.toSet());
        boolean defaultClassIsBerths = snapshot.ingressClasses().stream()
                .filter(ingressClass -> classes.contains(ingressClass.getMetadata().getName()))
                .anyMatch(BerthIngresses::isDefaultClass);
        return snapshot.ingresses().stream()
                .filter(ingress -> ingress.getSpec() != null && isBerths(ingress, classes, defaultClassIsBerths))
                .sorted(AGE)
                .toList();
    }

    private static boolean isBerths(Ingress ingress, Set<String> classes, boolean defaultClassIsBerths) {
        String className = ingress.getSpec().getIngressClassName();
        if (className != null) {
            return classes.contains(className);
        }
        String legacy = annotations(ingress.getMetadata().getAnnotations()).get(LEGACY_CLASS_ANNOTATION);
        if (legacy != null) {
            return classes.contains(legacy);
        }
        return defaultClassIsBerths;
    }

    private static boolean isDefaultClass(IngressClass ingressClass) {
        return "true".equals(annotations(ingressClass.getMetadata().getAnnotations()).get(DEFAULT_CLASS_ANNOTATION));
    }

    private static Optional<Instant> createdAt(Ingress ingress) {
        String timestamp = ingress.getMetadata().getCreationTimestamp();
        if (timestamp == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeException e) {
            return Optional.empty(); // an unreadable timestamp ranks like a missing one rather than failing the config
        }
    }

    private static Map<String, String> annotations(Map<String, String> annotations) {
        return annotations == null ? Map.of() : annotations;
    }
}
