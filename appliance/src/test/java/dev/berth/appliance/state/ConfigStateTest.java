package dev.berth.appliance.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.Manifests;
import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.source.Observation;
import dev.berth.appliance.validation.Effect;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStateTest {
    private static final ObjectRef SITE = new ObjectRef(Kind.INGRESS, "default", "site");
    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {ports: [{name: http, port: 80}]}
            ---
            """;

    @TempDir
    Path scratch;

    private final ConfigState state = new ConfigState(Clock.systemUTC());
    private final List<ConfigStatus> published = new ArrayList<>();

    @BeforeEach
    void listen() {
        state.onChange(published::add);
    }

    private void observe(String yaml) {
        state.observe(Manifests.observe(scratch, yaml));
    }

    private static String pool(String addresses) {
        return """
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: lan, namespace: berth-system}
                spec: {addresses: [%s]}
                ---
                """.formatted(addresses);
    }

    private static String ingress(String path, String pathType) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: site}
                spec:
                  rules:
                    - http:
                        paths:
                          - {path: %s, pathType: %s, backend: {service: {name: web, port: {number: 80}}}}
                ---
                """.formatted(path, pathType);
    }

    private String servedPath() {
        Ingress ingress = (Ingress) state.current().snapshot().find(SITE).orElseThrow();
        return ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getPath();
    }

    @Test
    void firstValidConfigurationIsGenerationOne() {
        observe(SERVICE + pool("192.0.2.0/28"));
        assertThat(state.current().generation()).isEqualTo(1);
        assertThat(state.current().snapshot().size()).isEqualTo(2);
        assertThat(published).hasSize(1);
    }

    @Test
    void anUnchangedObservationIsNotANewGeneration() {
        observe(SERVICE);
        observe(SERVICE);
        assertThat(state.current().generation()).isEqualTo(1);
        assertThat(published).hasSize(1);
    }

    @Test
    void replayGivesTheStatusInForceAndNothingBeforeTheFirstGeneration() {
        List<ConfigStatus> replayed = new ArrayList<>();
        state.replay(replayed::add);
        assertThat(replayed).isEmpty();

        observe(SERVICE);
        state.replay(replayed::add);
        assertThat(replayed).containsExactly(state.current());
        assertThat(published).hasSize(1); // the listeners of every generation are not run again
    }

    @Test
    void aBadPoolRejectsEverythingAndTheLastGoodKeepsServing() {
        observe(SERVICE + pool("192.0.2.0/28"));
        observe(SERVICE + pool("192.0.2.0/33") + ingress("/", "Prefix"));
        ConfigStatus status = state.current();
        assertThat(status.generation()).isEqualTo(1);
        assertThat(status.latestRejected()).isTrue();
        assertThat(status.snapshot().ingresses()).isEmpty();
        assertThat(status.snapshot().ipAddressPools().getFirst().getSpec().addresses()).containsExactly("192.0.2.0/28");
        assertThat(status.problems()).singleElement().extracting(problem -> problem.effect()).isEqualTo(Effect.REJECTS_CONFIG);
    }

    @Test
    void anUnparsableFileRejectsEverything() {
        observe(SERVICE);
        state.observe(new Observation(Manifests.observe(scratch, SERVICE + ingress("/", "Prefix")).snapshot(),
                Manifests.observe(scratch, "kind: [").problems(), 0));
        assertThat(state.current().generation()).isEqualTo(1);
        assertThat(state.current().latestRejected()).isTrue();
    }

    @Test
    void aBrokenIngressIsHeldAtItsLastGoodVersionWhileOthersApply() {
        observe(SERVICE + ingress("/v1", "Prefix"));
        observe(SERVICE.replace("port: 80}", "port: 80}, {name: admin, port: 81}") + ingress("/v2", "Regex"));
        ConfigStatus status = state.current();
        assertThat(status.generation()).isEqualTo(2);
        assertThat(status.latestRejected()).isFalse();
        assertThat(servedPath()).isEqualTo("/v1");
        assertThat(status.snapshot().services().getFirst().getSpec().getPorts()).hasSize(2);
        assertThat(status.problems()).singleElement().extracting(problem -> problem.effect()).isEqualTo(Effect.HOLDS_OBJECT);
    }

    @Test
    void aBrokenIngressWithNoGoodVersionIsLeftOut() {
        observe(SERVICE + ingress("/", "Regex"));
        assertThat(state.current().generation()).isEqualTo(1);
        assertThat(state.current().snapshot().ingresses()).isEmpty();
        assertThat(state.current().snapshot().services()).hasSize(1);
    }

    @Test
    void warningsApplyAsWritten() {
        observe(ingress("/", "Prefix"));
        assertThat(servedPath()).isEqualTo("/");
        assertThat(state.current().problems()).singleElement().extracting(problem -> problem.effect()).isEqualTo(Effect.WARNS);
    }

    @Test
    void fixingTheProblemClearsIt() {
        observe(SERVICE + pool("192.0.2.0/33"));
        assertThat(state.current().generation()).isZero();
        observe(SERVICE + pool("192.0.2.0/28"));
        assertThat(state.current().generation()).isEqualTo(1);
        assertThat(state.current().problems()).isEmpty();
        assertThat(state.current().latestRejected()).isFalse();
    }
}
