package dev.berth.l2.allocator;

import static dev.berth.l2.allocator.LabelSelector.Requirement.doesNotExist;
import static dev.berth.l2.allocator.LabelSelector.Requirement.exists;
import static dev.berth.l2.allocator.LabelSelector.Requirement.in;
import static dev.berth.l2.allocator.LabelSelector.Requirement.notIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Kubernetes label-selector semantics, one row per rule. */
class LabelSelectorTest {

    record Case(String name, LabelSelector selector, Map<String, String> labels, boolean matches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Map<String, String> web = Map.of("app", "web", "env", "prod");
        return Stream.of(
                new Case("empty selector matches everything", LabelSelector.EVERYTHING, Map.of(), true),
                new Case("matchLabels subset", LabelSelector.matchLabels(Map.of("app", "web")), web, true),
                new Case("matchLabels other value", LabelSelector.matchLabels(Map.of("app", "api")), web, false),
                new Case("matchLabels missing key", LabelSelector.matchLabels(Map.of("tier", "a")), web, false),
                new Case("In", LabelSelector.matchExpressions(in("env", "prod", "stage")), web, true),
                new Case("In, other value", LabelSelector.matchExpressions(in("env", "dev")), web, false),
                new Case("In, missing key", LabelSelector.matchExpressions(in("tier", "a")), web, false),
                new Case("NotIn", LabelSelector.matchExpressions(notIn("env", "dev")), web, true),
                new Case("NotIn, listed value", LabelSelector.matchExpressions(notIn("env", "prod")), web, false),
                new Case("NotIn, missing key matches", LabelSelector.matchExpressions(notIn("tier", "a")), web, true),
                new Case("Exists", LabelSelector.matchExpressions(exists("app")), web, true),
                new Case("Exists, missing", LabelSelector.matchExpressions(exists("tier")), web, false),
                new Case("DoesNotExist", LabelSelector.matchExpressions(doesNotExist("tier")), web, true),
                new Case("DoesNotExist, present", LabelSelector.matchExpressions(doesNotExist("app")), web, false),
                new Case("every term must hold",
                        new LabelSelector(Map.of("app", "web"), List.of(in("env", "dev"))), web, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesAsKubernetesDoes(Case c) {
        Map<String, String> labels = new HashMap<>(c.labels());

        assertThat(c.selector().matches(labels)).isEqualTo(c.matches());
        assertThat(labels).as("labels not mutated").isEqualTo(c.labels());
    }

    @Test
    void printsInKubernetesSyntaxWithSortedLabels() {
        LabelSelector selector = new LabelSelector(Map.of("b", "2", "a", "1"),
                List.of(in("env", "x", "y"), exists("tier"), doesNotExist("old"), notIn("z", "q")));

        assertThat(selector).hasToString("{a=1, b=2, env In (x,y), tier, !old, z NotIn (q)}");
    }

    @Test
    void operatorsThatNeedValuesRefuseNone() {
        assertThatThrownBy(() -> in("env"))
                .hasMessage("env In () (expected: at least one value)");
        assertThatThrownBy(() -> new LabelSelector.Requirement("env", LabelSelector.Operator.EXISTS, List.of("x")))
                .hasMessage("env Exists [x] (expected: no values)");
    }
}
