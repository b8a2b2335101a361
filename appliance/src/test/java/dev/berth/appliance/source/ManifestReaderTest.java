package dev.berth.appliance.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.validation.Effect;
import dev.berth.appliance.validation.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports: [{name: http, port: 80}]
            """;

    @TempDir
    Path directory;

    private Observation read() throws IOException {
        return new ManifestReader().read(directory);
    }

    private void write(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void readsMultiDocumentYamlJsonAndSubdirectories() throws IOException {
        write("a.yaml", SERVICE + "---\n" + """
                apiVersion: v1
                kind: Node
                metadata: {name: node-1}
                ---
                """);
        write("sub/b.json", """
                {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                 "metadata": {"name": "berth"}, "spec": {"controller": "berth.dev/ingress-controller"}}
                """);
        Observation observation = read();
        assertThat(observation.problems()).isEmpty();
        assertThat(observation.snapshot().services()).singleElement()
                .satisfies(service -> assertThat(service.getMetadata().getNamespace()).isEqualTo("default"));
        assertThat(observation.snapshot().nodes()).singleElement()
                .satisfies(node -> assertThat(node.getMetadata().getNamespace()).isNull());
        assertThat(observation.snapshot().ingressClasses()).hasSize(1);
    }

    @Test
    void expandsKubectlLists() throws IOException {
        write("list.yaml", """
                apiVersion: v1
                kind: List
                items:
                  - {apiVersion: v1, kind: Node, metadata: {name: a}}
                  - {apiVersion: v1, kind: Node, metadata: {name: b}}
                """);
        assertThat(read().snapshot().nodes()).hasSize(2);
    }

    @Test
    void readsBerthResourcesIntoTypedSpecs() throws IOException {
        write("pool.yaml", """
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: lan, namespace: berth-system}
                spec:
                  addresses: [192.0.2.0/28]
                  autoAssign: false
                  serviceAllocation:
                    priority: 10
                    namespaces: [web]
                """);
        var pool = read().snapshot().ipAddressPools().getFirst();
        assertThat(pool.getSpec().addresses()).containsExactly("192.0.2.0/28");
        assertThat(pool.getSpec().autoAssignOrDefault()).isFalse();
        assertThat(pool.getSpec().serviceAllocation().priority()).isEqualTo(10);
        assertThat(pool.getSpec().serviceAllocation().namespaces()).containsExactly("web");
    }

    @Test
    void yamlThatDoesNotParseNamesFileAndLine() throws IOException {
        write("broken.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: x
                  labels: [unclosed
                spec: {}
                """);
        assertThat(read().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(Problem.FILE_KIND);
            assertThat(problem.name()).endsWith("broken.yaml");
            assertThat(problem.field()).isEqualTo("line 6");
            assertThat(problem.message()).startsWith("does not parse: while parsing a flow sequence");
            assertThat(problem.effect()).isEqualTo(Effect.REJECTS_CONFIG);
        });
    }

    @Test
    void hiddenAndEditorFilesAreNotRead() throws IOException {
        write(".web.yaml.swp", "garbage: [");
        write("web.yaml~", "garbage: [");
        write(".#web.yaml", "garbage: [");
        write("..data/web.yaml", "garbage: [");
        write("notes.txt", "garbage: [");
        write("web.yaml", SERVICE);
        Observation observation = read();
        assertThat(observation.problems()).isEmpty();
        assertThat(observation.snapshot().size()).isEqualTo(1);
    }

    @Test
    void otherKindsAreCountedAndIgnored() throws IOException {
        write("app.yaml", SERVICE + """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                """);
        Observation observation = read();
        assertThat(observation.ignored()).isEqualTo(1);
        assertThat(observation.snapshot().size()).isEqualTo(1);
    }

    @Test
    void aKnownKindUnderAnotherApiVersionSaysWhichIsExpected() throws IOException {
        write("pool.yaml", """
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: lan}
                spec: {addresses: [192.0.2.0/28]}
                """);
        assertThat(read().problems()).singleElement().asString()
                .endsWith("line 1: apiVersion 'metallb.io/v1beta1' for kind IPAddressPool (expected: berth.dev/v1alpha1)");
    }

    @Test
    void anObjectDefinedTwiceRejectsTheConfiguration() throws IOException {
        write("a.yaml", SERVICE);
        write("b.yaml", SERVICE);
        Problem problem = read().problems().getFirst();
        assertThat(problem.toString()).startsWith("Service default/web: defined twice, in ").endsWith("(expected: each object once)");
        assertThat(problem.effect()).isEqualTo(Effect.REJECTS_CONFIG);
    }

    @Test
    void missingNameAndMissingKindAreReported() throws IOException {
        write("a.yaml", "apiVersion: v1\nkind: Service\nmetadata: {}\n---\napiVersion: v1\nmetadata: {name: x}\n");
        assertThat(read().problems()).extracting(Problem::message).containsExactly(
                "Service has no metadata.name (expected: a name)",
                "has no kind (expected: a Kubernetes object with apiVersion and kind)");
    }

    @Test
    void misspelledFieldOfABerthResourceIsReported() throws IOException {
        write("pool.yaml", """
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: lan, namespace: berth-system}
                spec:
                  adresses: [192.0.2.0/28]
                """);
        assertThat(read().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.object()).isEqualTo("IPAddressPool berth-system/lan");
            assertThat(problem.field()).isEqualTo("spec.adresses");
            assertThat(problem.message()).startsWith("unknown field (expected: one of addresses, autoAssign, avoidBuggyIPs, serviceAllocation");
        });
    }

    @Test
    void fieldOfTheWrongTypeNamesTheFieldPath() throws IOException {
        write("pool.yaml", """
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: lan, namespace: berth-system}
                spec:
                  addresses: [192.0.2.0/28]
                  autoAssign: maybe
                """);
        Problem problem = read().problems().getFirst();
        assertThat(problem.object()).isEqualTo("IPAddressPool berth-system/lan");
        assertThat(problem.field()).isEqualTo("spec.autoAssign");
        assertThat(problem.message()).contains("\"maybe\"").contains("pool.yaml line 1");
    }

    @Test
    void aDocumentThatIsNotAMappingIsReported() throws IOException {
        write("a.yaml", "just a sentence\n");
        assertThat(read().problems()).singleElement().extracting(Problem::message)
                .isEqualTo("is not a mapping (expected: a Kubernetes object with apiVersion and kind)");
    }

    @Test
    void aMissingDirectoryIsAnErrorNotAnEmptyConfiguration() {
        assertThatThrownBy(() -> new ManifestReader().read(directory.resolve("nowhere")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void objectRefsUseTheDefaultNamespace() throws IOException {
        write("a.yaml", SERVICE);
        assertThat(read().snapshot().find(new ObjectRef(Kind.SERVICE, "default", "web"))).isPresent();
    }
}
