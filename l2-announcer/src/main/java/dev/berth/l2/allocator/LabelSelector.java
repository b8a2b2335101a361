package dev.berth.l2.allocator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Kubernetes label selector ({@code matchLabels} and {@code matchExpressions}) as a pool's
 * {@code serviceAllocation} uses it, kept here as a plain value so the allocator needs no Kubernetes
 * client. Kubernetes semantics: every term must hold, and an empty selector matches everything.
 * Example: {@code {tier=web, env In (prod,staging)}} matches {@code {tier=web, env=prod, team=a}}.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    /** Matches every label set. */
    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

    public LabelSelector {
        matchLabels = Map.copyOf(Objects.requireNonNull(matchLabels, "matchLabels"));
        matchExpressions = List.copyOf(Objects.requireNonNull(matchExpressions, "matchExpressions"));
    }

    public static LabelSelector matchLabels(Map<String, String> labels) {
        return new LabelSelector(labels, List.of());
    }

    public static LabelSelector matchExpressions(Requirement... requirements) {
        return new LabelSelector(Map.of(), List.of(requirements));
    }

    public boolean matches(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels");
        for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
            if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                return false;
            }
        }
        for (Requirement requirement : matchExpressions) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Kubernetes' selector syntax with sorted labels, so messages are stable: {@code {app=web, env In (a,b)}}. */
    @Override
    public String toString() {
        List<String> terms = new ArrayList<>();
        new TreeMap<>(matchLabels).forEach((key, value) -> terms.add(key + "=" + value));
        matchExpressions.forEach(requirement -> terms.add(requirement.toString()));
        return "{" + String.join(", ", terms) + "}";
    }

    /** The four {@code matchExpressions} operators. */
    public enum Operator {
        IN("In"),
        NOT_IN("NotIn"),
        EXISTS("Exists"),
        DOES_NOT_EXIST("DoesNotExist");

        private final String text;

        Operator(String text) {
            this.text = text;
        }

        boolean takesValues() {
            return this == IN || this == NOT_IN;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** One {@code matchExpressions} entry. In and NotIn need values; Exists and DoesNotExist take none. */
    public record Requirement(String key, Operator operator, List<String> values) {

        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = List.copyOf(Objects.requireNonNull(values, "values"));
            if (key.isBlank()) {
                throw new IllegalArgumentException("key: '' (expected: a label key)");
            }
            if (operator.takesValues() && values.isEmpty()) {
                throw new IllegalArgumentException(key + " " + operator + " () (expected: at least one value)");
            }
            if (!operator.takesValues() && !values.isEmpty()) {
                throw new IllegalArgumentException(key + " " + operator + " " + values + " (expected: no values)");
            }
        }

        public static Requirement in(String key, String... values) {
            return new Requirement(key, Operator.IN, List.of(values));
        }

        public static Requirement notIn(String key, String... values) {
            return new Requirement(key, Operator.NOT_IN, List.of(values));
        }

        public static Requirement exists(String key) {
            return new Requirement(key, Operator.EXISTS, List.of());
        }

        public static Requirement doesNotExist(String key) {
            return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
        }

        public boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                // As in Kubernetes: a missing key satisfies NotIn.
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }

        @Override
        public String toString() {
            return operator.takesValues() ? key + " " + operator + " (" + String.join(",", values) + ")"
                    : operator == Operator.EXISTS ? key : "!" + key;
        }
    }
}
