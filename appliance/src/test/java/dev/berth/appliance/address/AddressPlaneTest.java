package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.Manifests;
import dev.berth.appliance.snapshot.Snapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressPlaneTest {
    private static final String POOL = """
            apiVersion: berth.dev/v1alpha1
            kind: IPAddressPool
            metadata: {name: lan, namespace: berth-system}
            spec: {addresses: [192.0.2.10-192.0.2.20, 2001:db8::10/126]}
            ---
            """;

    @TempDir
    Path scratch;

    private final MemoryStore store = new MemoryStore();

    private static String service(String name, String extra) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  namespace: shop
                %s
                spec:
                  type: LoadBalancer
                  ports: [{port: 80}]
                ---
                """.formatted(name, extra.indent(2).stripTrailing());
    }

    private AddressView reconcile(AddressPlane plane, String yaml) {
        Snapshot snapshot = Manifests.snapshot(scratch, POOL + yaml);
        return plane.reconcile(snapshot);
    }

    private static ServiceAddress find(AddressView view, String name) {
        return view.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void loadBalancerServicesGetTheLowestFreeAddress() {
        AddressView view = reconcile(new AddressPlane(store, AddressPlane.defaultClasses()), service("a", "") + service("b", ""));
        assertThat(find(view, "a").ips()).containsExactly("192.0.2.10");
        assertThat(find(view, "b").ips()).containsExactly("192.0.2.11");
        assertThat(find(view, "a").pool()).isEqualTo("lan");
        assertThat(view.pools()).singleElement().satisfies(pool -> {
            assertThat(pool.ipv4().used()).isEqualTo(2);
            assertThat(pool.ipv4().free()).isEqualTo(9);
        });
    }

    @Test
    void otherServiceTypesAndForeignClassesAreNotServed() {
        String clusterIp = """
                apiVersion: v1
                kind: Service
                metadata: {name: internal, namespace: shop}
                spec: {ports: [{port: 80}]}
                ---
                """;
        String foreign = service("foreign", "").replace("type: LoadBalancer", "type: LoadBalancer\n  loadBalancerClass: example.com/other");
        AddressView view = reconcile(new AddressPlane(store, AddressPlane.defaultClasses()), clusterIp + foreign + service("mine", ""));
        assertThat(view.services()).extracting(ServiceAddress::name).containsExactly("mine");
    }

    @Test
    void metalLbAnnotationsAreUnderstood() {
        AddressView view = reconcile(new AddressPlane(store, AddressPlane.defaultClasses()),
                service("pinned", "annotations: {metallb.universe.tf/loadBalancerIPs: \"192.0.2.15,2001:db8::12\", metallb.io/allow-shared-ip: k}"));
        assertThat(find(view, "pinned").ips()).containsExactly("192.0.2.15", "2001:db8::12");
        assertThat(find(view, "pinned").sharingKey()).isEqualTo("k");
    }

    @Test
    void anUnreadableRequestIsAProblemOnTheService() {
        AddressView view = reconcile(new AddressPlane(store, AddressPlane.defaultClasses()),
                service("typo", "annotations: {berth.dev/loadBalancerIPs: 192.0.2.300}"));
        assertThat(find(view, "typo").ips()).isEmpty();
        assertThat(find(view, "typo").problems()).containsExactly("metadata.annotations[berth.dev/loadBalancerIPs]: "
                + "'192.0.2.300' is not an IP address (expected: IPv4 or IPv6 literals, comma-separated)");
    }

    @Test
    void anAddressOutsideEveryPoolIsAProblemNotACrash() {
        AddressView view = reconcile(new AddressPlane(store, AddressPlane.defaultClasses()),
                service("far", "annotations: {berth.dev/loadBalancerIPs: 198.51.100.1}"));
        assertThat(find(view, "far").problems()).singleElement().asString().contains("198.51.100.1");
    }

    @Test
    void aServiceThatBecomesInvalidKeepsItsAddress() {
        AddressPlane plane = new AddressPlane(store, AddressPlane.defaultClasses());
        reconcile(plane, service("a", ""));
        AddressView view = reconcile(plane, service("a", "annotations: {berth.dev/loadBalancerIPs: nonsense}"));
        assertThat(find(view, "a").ips()).containsExactly("192.0.2.10");
        assertThat(find(view, "a").problems()).isNotEmpty();
    }

    @Test
    void aDeletedServiceReleasesItsAddress() {
        AddressPlane plane = new AddressPlane(store, AddressPlane.defaultClasses());
        reconcile(plane, service("a", "") + service("b", ""));
        reconcile(plane, service("b", ""));
        AddressView view = reconcile(plane, service("b", "") + service("c", ""));
        assertThat(find(view, "b").ips()).containsExactly("192.0.2.11");
        assertThat(find(view, "c").ips()).containsExactly("192.0.2.10");
    }

    @Test
    void aRestartRestoresEveryAllocationBeforeAssigningNewOnes() {
        AddressPlane first = new AddressPlane(store, AddressPlane.defaultClasses());
        reconcile(first, service("a", "") + service("b", "") + service("c", ""));
        reconcile(first, service("b", "") + service("c", ""));
        List<String> before = List.of(find(first.view(), "b").ips().getFirst(), find(first.view(), "c").ips().getFirst());

        AddressPlane restarted = new AddressPlane(store, AddressPlane.defaultClasses());
        // A new Service that sorts first would take 192.0.2.10 or .11 if restore did not come first.
        AddressView view = reconcile(restarted, service("aaa-new", "") + service("b", "") + service("c", ""));
        assertThat(List.of(find(view, "b").ips().getFirst(), find(view, "c").ips().getFirst())).isEqualTo(before);
        assertThat(find(view, "aaa-new").ips()).containsExactly("192.0.2.10");
    }

    @Test
    void classesAreConfigurable() {
        String classed = service("classed", "").replace("type: LoadBalancer", "type: LoadBalancer\n  loadBalancerClass: example.com/lb");
        AddressView view = reconcile(new AddressPlane(store, Set.of("example.com/lb")), classed + service("plain", ""));
        assertThat(view.services()).extracting(ServiceAddress::name).containsExactly("classed");
    }
}
