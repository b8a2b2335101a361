package dev.berth.appliance.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The hand-written CRDs in deploy/ must describe exactly the fields the Java model reads. */
class CustomResourceDefinitionsTest {
    private static final Path CRDS = Path.of("../deploy/crds");

    private static CustomResourceDefinition read(String file) throws IOException {
        return new KubernetesSerialization().unmarshal(Files.readString(CRDS.resolve(file)), CustomResourceDefinition.class);
    }

    private static void assertMatches(CustomResourceDefinition crd, Class<? extends HasMetadata> type, Class<? extends Record> spec) {
        assertThat(crd.getMetadata().getName()).isEqualTo(HasMetadata.getFullResourceName(type));
        assertThat(crd.getSpec().getGroup()).isEqualTo(HasMetadata.getGroup(type));
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo(HasMetadata.getKind(type));
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(HasMetadata.getPlural(type));
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        var version = crd.getSpec().getVersions().getFirst();
        assertThat(version.getName()).isEqualTo(HasMetadata.getVersion(type));
        JSONSchemaProps specSchema = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertFields(specSchema, spec);
    }

    private static void assertFields(JSONSchemaProps schema, Class<?> record) {
        RecordComponent[] components = record.getRecordComponents();
        assertThat(schema.getProperties().keySet()).as(record.getSimpleName())
                .containsExactlyInAnyOrder(Arrays.stream(components).map(RecordComponent::getName).toArray(String[]::new));
        for (RecordComponent component : components) {
            if (component.getType().isRecord()) {
                assertFields(schema.getProperties().get(component.getName()), component.getType());
            }
        }
    }

    @Test
    void ipAddressPoolCrdMatchesTheModel() throws IOException {
        assertMatches(read("ipaddresspools.berth.dev.yaml"), IPAddressPool.class, IPAddressPoolSpec.class);
    }

    @Test
    void l2AdvertisementCrdMatchesTheModel() throws IOException {
        assertMatches(read("l2advertisements.berth.dev.yaml"), L2Advertisement.class, L2AdvertisementSpec.class);
    }
}
