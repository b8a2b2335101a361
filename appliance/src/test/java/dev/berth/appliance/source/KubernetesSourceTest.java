package dev.berth.appliance.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.crd.IPAddressPool;
import dev.berth.appliance.crd.IPAddressPoolSpec;
import dev.berth.appliance.crd.L2Advertisement;
import dev.berth.appliance.crd.L2AdvertisementSpec;
import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Informers against fabric8's mock API server in CRUD mode: every kind's create, update and delete reach a Snapshot. */
@EnableKubernetesMockClient(crud = true)
class KubernetesSourceTest {
    KubernetesClient client;
    KubernetesMockServer server;

    private final BlockingQueue<Observation> observations = new LinkedBlockingQueue<>();
    private KubernetesSource source;
    private int consumed;

    @BeforeEach
    void start() throws Exception {
        source = new KubernetesSource(client, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(20));
        source.start(observations::add);
        assertThat(observations.poll()).as("first observation, delivered by start").isNotNull();
    }

    @AfterEach
    void stop() {
        source.close();
    }

    private Snapshot awaitSnapshot(Predicate<Snapshot> condition) throws InterruptedException {
        while (true) {
            Observation observation = observations.poll(10, TimeUnit.SECONDS);
            assertThat(observation).as("an observation within 10 s").isNotNull();
            consumed++;
            if (condition.test(observation.snapshot())) {
                return observation.snapshot();
            }
        }
    }

    private static ObjectMetaBuilder meta(String name, boolean namespaced) {
        ObjectMetaBuilder meta = new ObjectMetaBuilder().withName(name);
        return namespaced ? meta.withNamespace("team") : meta;
    }

    /** One object of each kind, built with a label value that updates change. */
    private static HasMetadata objectOf(Kind kind, String version) {
        Map<String, String> labels = Map.of("version", version);
        return switch (kind) {
            case SERVICE -> new ServiceBuilder().withMetadata(meta("web", true).withLabels(labels).build()).build();
            case ENDPOINT_SLICE -> new EndpointSliceBuilder().withMetadata(meta("web-1", true).withLabels(labels).build())
                    .withAddressType("IPv4").build();
            case INGRESS -> new IngressBuilder().withMetadata(meta("site", true).withLabels(labels).build()).build();
            case INGRESS_CLASS -> new IngressClassBuilder().withMetadata(meta("berth", false).withLabels(labels).build())
                    .withNewSpec().withController("berth.dev/ingress-controller").endSpec().build();
            case SECRET -> new SecretBuilder().withMetadata(meta("cert", true).withLabels(labels).build()).withType("kubernetes.io/tls").build();
            case NODE -> new NodeBuilder().withMetadata(meta("node-1", false).withLabels(labels).build()).build();
            case NAMESPACE -> new NamespaceBuilder().withMetadata(meta("team", false).withLabels(labels).build()).build();
            case IP_ADDRESS_POOL -> {
                IPAddressPool pool = new IPAddressPool();
                pool.setMetadata(meta("lan", true).withLabels(labels).build());
                pool.setSpec(new IPAddressPoolSpec(List.of("192.0.2.0/28"), null, null, null));
                yield pool;
            }
            case L2_ADVERTISEMENT -> {
                L2Advertisement advertisement = new L2Advertisement();
                advertisement.setMetadata(meta("lan", true).withLabels(labels).build());
                advertisement.setSpec(new L2AdvertisementSpec(List.of("lan"), null, null, null));
                yield advertisement;
            }
        };
    }

    private static String versionIn(Snapshot snapshot, ObjectRef ref) {
        return snapshot.find(ref).map(object -> object.getMetadata().getLabels().get("version")).orElse(null);
    }

    /**
     * The Secret informer asks the API server for TLS Secrets only. (The mock server ignores field selectors on
     * {@code type}, as the real one does not; so the request is what this checks.)
     */
    @Test
    void secretsAreListedAndWatchedByTheirTlsType() throws Exception {
        List<String> secretRequests = new ArrayList<>();
        for (RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS); request != null;
                request = server.takeRequest(1, TimeUnit.SECONDS)) {
            if (request.getPath().startsWith("/api/v1/secrets")) {
                secretRequests.add(request.getPath());
            }
        }
        assertThat(secretRequests).as("the list and the watch").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(path -> assertThat(path).contains("fieldSelector=type%3Dkubernetes.io%2Ftls"));
    }

    @Test
    void createUpdateAndDeleteOfEveryKindReachASnapshot() throws Exception {
        for (Kind kind : Kind.values()) {
            HasMetadata created = objectOf(kind, "1");
            ObjectRef ref = ObjectRef.of(kind, created);
            client.resource(created).create();
            awaitSnapshot(snapshot -> "1".equals(versionIn(snapshot, ref)));

            client.resource(objectOf(kind, "2")).update();
            awaitSnapshot(snapshot -> "2".equals(versionIn(snapshot, ref)));

            client.resource(created).delete();
            Snapshot after = awaitSnapshot(snapshot -> snapshot.find(ref).isEmpty());
            assertThat(after.objects(kind)).as(kind + " after delete").isEmpty();
        }
    }

    @Test
    void aBurstOfUpdatesIsCoalesced() throws Exception {
        for (int i = 0; i < 50; i++) {
            client.resource(new NodeBuilder().withMetadata(meta("node-" + i, false).build()).build()).create();
        }
        consumed = 0;
        awaitSnapshot(snapshot -> snapshot.nodes().size() == 50);
        // 50 creates, each a round trip to the mock server, with a 50 ms quiet period: a few observations, not 50.
        assertThat(consumed).isLessThan(10);
    }

    @Test
    void describesTheApiServer() {
        assertThat(source.describe()).startsWith("kubernetes http");
    }
}
