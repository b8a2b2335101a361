package dev.berth.appliance.source;

import dev.berth.appliance.crd.IPAddressPoolSpec;
import dev.berth.appliance.crd.L2AdvertisementSpec;
import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.validation.Effect;
import dev.berth.appliance.validation.Problem;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Catches misspelled fields in Berth's own resources ({@code spec.adresses}), which the API server would prune
 * in silence and a pool would then quietly be empty. Built-in kinds are left to the API's own leniency.
 */
final class UnknownFields {
    private static final Map<Kind, Class<? extends Record>> SPECS =
            Map.of(Kind.IP_ADDRESS_POOL, IPAddressPoolSpec.class, Kind.L2_ADVERTISEMENT, L2AdvertisementSpec.class);

    private UnknownFields() {
    }

    static List<Problem> check(Kind kind, JsonNode document, ManifestReader.Origin origin) {
        Class<? extends Record> spec = SPECS.get(kind);
        List<Problem> problems = new ArrayList<>();
        if (spec != null && document.path("spec").isObject()) {
            ObjectRef ref = new ObjectRef(kind, document.path("metadata").path("namespace").asString("default"),
                    document.path("metadata").path("name").asString(""));
            check(document.path("spec"), spec, "spec", ref, origin, problems);
        }
        return problems;
    }

    private static void check(JsonNode node, Class<?> type, String path, ObjectRef ref, ManifestReader.Origin origin,
            List<Problem> problems) {
        RecordComponent[] components = type.getRecordComponents();
        for (var property : node.properties()) {
            RecordComponent component = Arrays.stream(components)
                    .filter(c -> c.getName().equals(property.getKey()))
                    .findFirst()
                    .orElse(null);
            if (component == null) {
                String expected = Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.joining(", "));
                problems.add(Problem.of(ref, path + "." + property.getKey(),
                        "unknown field (expected: one of " + expected + "; in " + origin + ")", Effect.REJECTS_CONFIG));
            } else if (component.getType().isRecord() && property.getValue().isObject()) {
                check(property.getValue(), component.getType(), path + "." + property.getKey(), ref, origin, problems);
            }
        }
    }
}
