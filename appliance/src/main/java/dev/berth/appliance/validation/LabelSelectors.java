package dev.berth.appliance.validation;

import dev.berth.appliance.snapshot.ObjectRef;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Set;

/** Checks label selectors the way the API server does, for the selector fields of Berth's resources. */
final class LabelSelectors {
    private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    private LabelSelectors() {
    }

    static void check(List<LabelSelector> selectors, String field, ObjectRef ref, Effect effect, Problems problems) {
        for (int i = 0; i < selectors.size(); i++) {
            LabelSelector selector = selectors.get(i);
            List<LabelSelectorRequirement> expressions =
                    selector == null || selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
            for (int j = 0; j < expressions.size(); j++) {
                LabelSelectorRequirement expression = expressions.get(j);
                String at = field + "[" + i + "].matchExpressions[" + j + "]";
                String operator = expression.getOperator();
                boolean hasValues = expression.getValues() != null && !expression.getValues().isEmpty();
                if (!OPERATORS.contains(operator)) {
                    problems.add(ref, at + ".operator", "'" + operator + "' (expected: In, NotIn, Exists or DoesNotExist)", effect);
                } else if ((operator.equals("In") || operator.equals("NotIn")) && !hasValues) {
                    problems.add(ref, at + ".values", "empty for operator " + operator + " (expected: at least one value)", effect);
                } else if ((operator.equals("Exists") || operator.equals("DoesNotExist")) && hasValues) {
                    problems.add(ref, at + ".values", "set for operator " + operator + " (expected: no values)", effect);
                }
                if (expression.getKey() == null || expression.getKey().isEmpty()) {
                    problems.add(ref, at + ".key", "missing (expected: a label key)", effect);
                }
            }
        }
    }
}
