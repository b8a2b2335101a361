package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.allocator.ServiceKey;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Owners recorded on the Service through the API: the nodeAssigned event and the announcing-nodes annotation. */
@EnableKubernetesMockClient(crud = true)
class ServiceOwnersTest {
    KubernetesClient client;

    private static final ServiceKey WEB = new ServiceKey("shop", "web");

    @Test
    void theAnnotationNamesEachIpsOwnerAndLeavesTheOtherAnnotationsAlone() {
        client.resource(new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web")
                .addToAnnotations("team", "payments").endMetadata().build()).create();
        ServiceOwners owners = new ServiceOwners(client, new ServiceEvents(client, "node-a", Clock.systemUTC()));
        Map<String, String> byIp = new LinkedHashMap<>();
        byIp.put("192.0.2.200", "node-a");
        byIp.put("2001:db8:0:0:0:0:0:200", "node-b");

        owners.owners(WEB, byIp);
        assertThat(annotations()).containsEntry(ServiceOwners.ANNOTATION, "192.0.2.200=node-a,2001:db8:0:0:0:0:0:200=node-b")
                .containsEntry("team", "payments");

        owners.owners(WEB, Map.of()); // nobody announces any more: merge-patched to null, which an API server deletes
        assertThat(annotations().get(ServiceOwners.ANNOTATION)).isNull(); // (the mock server keeps the key, null)
        assertThat(annotations()).containsEntry("team", "payments");
    }

    @Test
    void theNodeThatStartsAnsweringSaysSoInAnEvent() throws Exception {
        new ServiceOwners(client, new ServiceEvents(client, "node-a", Clock.systemUTC()))
                .nodeAssigned(WEB, List.of(InetAddress.ofLiteral("192.0.2.200")));

        List<Event> events = client.v1().events().inNamespace("shop").list().getItems();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getReason()).isEqualTo("nodeAssigned");
            assertThat(event.getInvolvedObject().getName()).isEqualTo("web");
            assertThat(event.getSource().getComponent()).isEqualTo("berth-speaker");
            assertThat(event.getMessage()).isEqualTo("announcing 192.0.2.200 from node \"node-a\" with protocol \"layer2\"");
        });
    }

    @Test
    void ownersOfAServiceFollowItsIpsAndLeaveOutUnannouncedOnes() {
        Map<InetAddress, String> elected = Map.of(InetAddress.ofLiteral("2001:db8::200"), "node-b");
        assertThat(OwnerRecords.ownersOf(List.of("192.0.2.200", "2001:db8:0:0:0:0:0:200"), elected))
                .containsExactly(Map.entry("2001:db8:0:0:0:0:0:200", "node-b"));
        ServiceAddress web = new ServiceAddress("shop", "web", List.of("2001:db8:0:0:0:0:0:200"), "lan", null, List.of());
        assertThat(new AddressView(List.of(web), List.of()).withOwners(elected).services().getFirst().owners())
                .containsExactly(Map.entry("2001:db8:0:0:0:0:0:200", "node-b"));
    }

    private Map<String, String> annotations() {
        return client.services().inNamespace("shop").withName("web").get().getMetadata().getAnnotations();
    }
}
