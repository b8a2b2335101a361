package dev.berth.appliance.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.Manifests;
import dev.berth.appliance.TestCertificates;
import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.source.ManifestReader;
import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.HttpRoute.PathType;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.config.TlsCertificate;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyConfigTranslatorTest {
    private static final String BERTH_CLASS = """
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: berth}
            spec: {controller: berth.dev/ingress-controller}
            ---
            """;
    private static final String BERTH_DEFAULT_CLASS = """
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: berth
              annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
            spec: {controller: berth.dev/ingress-controller}
            ---
            """;
    private static final String NGINX_DEFAULT_CLASS = """
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: nginx
              annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
            spec: {controller: k8s.io/ingress-nginx}
            ---
            """;
    /** Service web: one named port (targetPort deliberately unlike the slice's port) and one slice at 10.0.0.1:8080. */
    private static final String WEB = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              ports: [{name: http, port: 80, targetPort: 9999}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-1
              namespace: shop
              labels: {kubernetes.io/service-name: web}
            addressType: IPv4
            ports: [{name: http, port: 8080}]
            endpoints:
              - addresses: [10.0.0.1]
                nodeName: node-a
                conditions: {ready: true}
            ---
            """;

    @TempDir
    Path scratch;

    private ProxyConfig translate(String yaml) {
        return ProxyConfigTranslator.translate(42, Manifests.snapshot(scratch, yaml));
    }

    /** An Ingress in namespace shop; {@code metadata} adds lines under its metadata, {@code spec} is its whole spec. */
    private static String ingress(String name, String metadata, String spec) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: %s
                  namespace: shop
                %s
                spec:
                %s
                ---
                """.formatted(name, metadata.indent(2).stripTrailing(), spec.indent(2).stripTrailing());
    }

    private static String rulesTo(String service, String port) {
        return """
                rules:
                  - host: shop.example.com
                    http:
                      paths:
                        - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {%s}}}}
                """.formatted(service, port);
    }

    private static String servedTo(String classLine) {
        return ingress("site", "", classLine + "\n" + rulesTo("web", "name: http"));
    }

    private static List<String> endpoints(Backend backend) {
        return backend.endpoints().stream().map(Endpoint::toString).toList();
    }

    @Test
    void theQuickStartIsOneRouteToTheLocalEcho() throws Exception {
        var snapshot = new ManifestReader().read(Path.of("../examples/quickstart")).snapshot();
        ProxyConfig config = ProxyConfigTranslator.translate(1, snapshot);
        assertThat(config.routes()).containsExactly(new HttpRoute("echo.example.com", PathType.PREFIX, "/",
                "default/echo:http", "Ingress default/echo rules[0].paths[0]", 0));
        Backend echo = config.backends().get("default/echo:http");
        assertThat(endpoints(echo)).containsExactly("127.0.0.1:8080");
        assertThat(echo.protocol()).isEqualTo(Backend.Protocol.HTTP);
        assertThat(echo.balance()).isEqualTo("round-robin");
        assertThat(config.backends()).hasSize(1);
        assertThat(config.defaultBackend()).isEmpty();
        assertThat(config.generation()).isEqualTo(1);
    }

    @Test
    void tlsEntriesBecomeCertificatesOldestIngressFirstAndMissingSecretsGiveNone() throws Exception {
        TestCertificates.Pem shop = TestCertificates.selfSigned("shop.example.com");
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata: {name: shop-tls, namespace: shop}
                type: kubernetes.io/tls
                """ + shop.secretData() + "---\n";
        String older = ingress("older", "creationTimestamp: '2026-01-01T00:00:00Z'", """
                ingressClassName: berth
                tls:
                  - {hosts: [Shop.Example.com], secretName: shop-tls}
                  - {hosts: [gone.example.com], secretName: nowhere}
                """ + rulesTo("web", "name: http"));
        String newer = ingress("newer", "creationTimestamp: '2026-02-01T00:00:00Z'", """
                ingressClassName: berth
                tls: [{secretName: shop-tls}]
                """ + rulesTo("web", "name: http"));

        ProxyConfig config = translate(BERTH_CLASS + WEB + secret + newer + older);

        assertThat(config.certificates()).extracting(TlsCertificate::source).containsExactly(
                "Secret shop/shop-tls (Ingress shop/older spec.tls[0])", "Secret shop/shop-tls (Ingress shop/newer spec.tls[0])");
        assertThat(config.certificates().getFirst().hosts()).containsExactly("shop.example.com");
        assertThat(config.certificates().get(1).hosts()).as("none listed: the certificate's own names").isEmpty();
        assertThat(config.certificates().getFirst().certificateChain()).isEqualTo(shop.certificate());
        assertThat(config.certificates().getFirst().privateKey()).isEqualTo(shop.privateKey());
        assertThat(config.defaultCertificate()).isEmpty();

        String all = BERTH_CLASS + WEB + secret + newer + older;
        ProxyConfig withDefault = ProxyConfigTranslator.translate(1, Manifests.snapshot(scratch, all),
                Optional.of(new ObjectRef(Kind.SECRET, "shop", "shop-tls")));
        assertThat(withDefault.defaultCertificate()).get().extracting(TlsCertificate::source).isEqualTo("Secret shop/shop-tls");
        ProxyConfig missingDefault = ProxyConfigTranslator.translate(1, Manifests.snapshot(scratch, all),
                Optional.of(new ObjectRef(Kind.SECRET, "shop", "nowhere")));
        assertThat(missingDefault.defaultCertificate()).as("the listener's own meanwhile").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                   | annotation line                                          | redirects
            a TLS host redirects by default          | ''                                                       | true
            Berth's annotation says false            | 'annotations: {berth.dev/ssl-redirect: "false"}'         | false
            ingress-nginx's annotation says false    | 'annotations: {nginx.ingress.kubernetes.io/ssl-redirect: "false"}' | false
            Berth's annotation wins over nginx's     | 'annotations: {berth.dev/ssl-redirect: "true", nginx.ingress.kubernetes.io/ssl-redirect: "false"}' | true
            """)
    void hostsWithTlsRedirectCleartextUnlessAnnotatedNot(String name, String annotation, boolean redirects) {
        String spec = """
                ingressClassName: berth
                tls: [{hosts: ["*.example.com"], secretName: any}]
                rules:
                  - host: shop.example.com
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}
                  - host: other.org
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}
                """;
        ProxyConfig config = translate(BERTH_CLASS + WEB + ingress("site", annotation, spec));
        assertThat(config.routes()).filteredOn(route -> route.host().equals("shop.example.com"))
                .singleElement().extracting(HttpRoute::httpsRedirect).isEqualTo(redirects);
        assertThat(config.routes()).filteredOn(route -> route.host().equals("other.org"))
                .singleElement().extracting(HttpRoute::httpsRedirect).as("a host without TLS never redirects").isEqualTo(false);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                         | classes                  | class line of the Ingress                          | served
            names Berth's class                            | BERTH                    | 'ingressClassName: berth'                          | true
            names another class                            | BERTH                    | 'ingressClassName: nginx'                          | false
            names no class, Berth's class is the default   | BERTH_DEFAULT            | ''                                                 | true
            names no class, no class is the default        | BERTH                    | ''                                                 | false
            names no class, another class is the default   | BERTH NGINX_DEFAULT      | ''                                                 | false
            legacy annotation names Berth's class          | BERTH                    | LEGACY berth                                       | true
            legacy annotation names another class          | BERTH_DEFAULT            | LEGACY nginx                                       | false
            names a class that does not exist              | BERTH_DEFAULT            | 'ingressClassName: missing'                        | false
            """)
    void ingressesOfBerthsClassesAreServed(String description, String classes, String classLine, boolean served) {
        StringBuilder yaml = new StringBuilder(WEB);
        for (String ingressClass : classes.split(" ")) {
            yaml.append(switch (ingressClass) {
                case "BERTH" -> BERTH_CLASS;
                case "BERTH_DEFAULT" -> BERTH_DEFAULT_CLASS;
                default -> NGINX_DEFAULT_CLASS;
            });
        }
        if (classLine.startsWith("LEGACY ")) {
            String annotation = "annotations: {kubernetes.io/ingress.class: " + classLine.substring(7) + "}";
            yaml.append(ingress("site", annotation, rulesTo("web", "name: http")));
        } else {
            yaml.append(servedTo(classLine));
        }
        assertThat(translate(yaml.toString()).routes()).hasSize(served ? 1 : 0);
    }

    @Test
    void portByNumberAndByNameReachTheSameBackendThroughTheSlicePortName() {
        ProxyConfig config = translate(BERTH_CLASS + WEB
                + ingress("by-name", "", "ingressClassName: berth\n" + rulesTo("web", "name: http"))
                + ingress("by-number", "", "ingressClassName: berth\n" + rulesTo("web", "number: 80")));
        assertThat(config.routes()).extracting(HttpRoute::backend).containsExactly("shop/web:http", "shop/web:http");
        // targetPort says 9999; the slice port named like the Service port says 8080, and kube-proxy believes the slice
        assertThat(endpoints(config.backends().get("shop/web:http"))).containsExactly("10.0.0.1:8080");
        assertThat(config.backends().get("shop/web:http").endpoints().getFirst().node()).isEqualTo("node-a");
    }

    @Test
    void anUnnamedSinglePortMatchesTheUnnamedSlicePort() {
        ProxyConfig config = translate(BERTH_CLASS + """
                apiVersion: v1
                kind: Service
                metadata: {name: api, namespace: shop}
                spec:
                  ports: [{port: 8000, targetPort: http}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: api-1
                  namespace: shop
                  labels: {kubernetes.io/service-name: api}
                addressType: IPv6
                ports: [{port: 3000}]
                endpoints:
                  - addresses: ["2001:db8::7"]
                ---
                """ + ingress("site", "", "ingressClassName: berth\n" + rulesTo("api", "number: 8000")));
        assertThat(endpoints(config.backends().get("shop/api:8000"))).containsExactly("2001:db8:0:0:0:0:0:7:3000");
    }

    /** A Service {@code web} with one slice holding the given endpoints, served by a Berth Ingress. */
    private ProxyConfig webWithEndpoints(String endpoints) {
        return translate(BERTH_CLASS + """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  ports: [{name: http, port: 80}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: web-1
                  namespace: shop
                  labels: {kubernetes.io/service-name: web}
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints:
                %s
                ---
                """.formatted(endpoints.indent(2).stripTrailing()) + servedTo("ingressClassName: berth"));
    }

    @Test
    void onlyReadyEndpointsServeAndAMissingReadyCountsAsReady() {
        ProxyConfig config = webWithEndpoints("""
                - {addresses: [10.0.0.1], conditions: {ready: true}}
                - {addresses: [10.0.0.2], conditions: {ready: false, serving: true, terminating: true}}
                - {addresses: [10.0.0.3], conditions: {}}
                - {addresses: [10.0.0.4]}
                - {addresses: [10.0.0.5], conditions: {ready: false}}
                """);
        assertThat(endpoints(config.backends().get("shop/web:http"))).containsExactly("10.0.0.1:8080", "10.0.0.3:8080", "10.0.0.4:8080");
    }

    @Test
    void whenNoneIsReadyTheServingTerminatingOnesServe() {
        ProxyConfig config = webWithEndpoints("""
                - {addresses: [10.0.0.1], conditions: {ready: false, serving: true, terminating: true}}
                - {addresses: [10.0.0.2], conditions: {ready: false, serving: false, terminating: true}}
                - {addresses: [10.0.0.3], conditions: {ready: false, terminating: true}}
                - {addresses: [10.0.0.4], conditions: {ready: false, serving: true}}
                """);
        assertThat(endpoints(config.backends().get("shop/web:http"))).containsExactly("10.0.0.1:8080", "10.0.0.3:8080");
    }

    @Test
    void anEndpointInTwoSlicesIsListedOnceAndFqdnSlicesAreSkipped() {
        ProxyConfig config = translate(BERTH_CLASS + WEB + """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: web-2
                  namespace: shop
                  labels: {kubernetes.io/service-name: web}
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints:
                  - addresses: [10.0.0.1]
                  - addresses: [10.0.0.2]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: web-3
                  namespace: shop
                  labels: {kubernetes.io/service-name: web}
                addressType: FQDN
                ports: [{name: http, port: 8080}]
                endpoints:
                  - addresses: [web.example.com]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: web-elsewhere
                  namespace: other
                  labels: {kubernetes.io/service-name: web}
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints:
                  - addresses: [10.9.9.9]
                ---
                """ + servedTo("ingressClassName: berth"));
        assertThat(endpoints(config.backends().get("shop/web:http"))).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
    }

    @Test
    void aMissingServiceOrPortIsABackendWithoutEndpoints() {
        ProxyConfig config = translate(BERTH_CLASS + WEB
                + ingress("no-service", "", "ingressClassName: berth\n" + rulesTo("gone", "number: 80"))
                + ingress("no-port", "", "ingressClassName: berth\n" + rulesTo("web", "name: grpc")));
        assertThat(config.routes()).extracting(HttpRoute::backend).containsExactlyInAnyOrder("shop/gone:80", "shop/web:grpc");
        assertThat(config.backends().get("shop/gone:80").endpoints()).isEmpty();
        assertThat(config.backends().get("shop/web:grpc").endpoints()).isEmpty();
    }

    @ParameterizedTest(name = "annotation {0}, appProtocol {1} -> {2}")
    @CsvSource(nullValues = "-", textBlock = """
            -,     -,                 HTTP
            h2c,   -,                 H2C
            HTTPS, -,                 HTTPS
            http,  kubernetes.io/h2c, HTTP
            bogus, kubernetes.io/h2c, H2C
            -,     kubernetes.io/h2c, H2C
            -,     http,              HTTP
            -,     https,             HTTPS
            -,     kubernetes.io/wss, HTTPS
            -,     kubernetes.io/ws,  HTTP
            -,     grpc,              HTTP
            """)
    void protocolComesFromTheAnnotationThenTheAppProtocol(String annotation, String appProtocol, Backend.Protocol expected) {
        String metadata = annotation == null ? "{name: web, namespace: shop}"
                : "{name: web, namespace: shop, annotations: {berth.dev/backend-protocol: " + annotation + "}}";
        String port = "{name: http, port: 80" + (appProtocol == null ? "" : ", appProtocol: " + appProtocol) + "}";
        ProxyConfig config = translate(BERTH_CLASS + """
                apiVersion: v1
                kind: Service
                metadata: %s
                spec:
                  ports: [%s]
                ---
                """.formatted(metadata, port) + servedTo("ingressClassName: berth"));
        assertThat(config.backends().get("shop/web:http").protocol()).isEqualTo(expected);
    }

    @Test
    void balanceComesFromTheServiceAnnotation() {
        ProxyConfig config = translate(BERTH_CLASS + """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: shop
                  annotations: {berth.dev/balance: maglev}
                spec:
                  ports: [{name: http, port: 80}]
                ---
                """ + servedTo("ingressClassName: berth"));
        assertThat(config.backends().get("shop/web:http").balance()).isEqualTo("maglev");
    }

    @Test
    void everyRuleAndPathIsARouteWithItsTypeHostAndSource() {
        ProxyConfig config = translate(BERTH_CLASS + WEB + ingress("site", "", """
                ingressClassName: berth
                rules:
                  - host: Shop.Example.COM
                    http:
                      paths:
                        - {path: /pay, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
                        - {path: /cart/, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                  - host: "*.example.com"
                    http:
                      paths:
                        - {pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
                  - http:
                      paths:
                        - {path: /static, pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
                """));
        assertThat(config.routes()).containsExactly(
                new HttpRoute("shop.example.com", PathType.EXACT, "/pay", "shop/web:http", "Ingress shop/site rules[0].paths[0]", 0),
                new HttpRoute("shop.example.com", PathType.PREFIX, "/cart/", "shop/web:http", "Ingress shop/site rules[0].paths[1]", 0),
                new HttpRoute("*.example.com", PathType.PREFIX, "/", "shop/web:http", "Ingress shop/site rules[1].paths[0]", 0),
                new HttpRoute("", PathType.PREFIX, "/static", "shop/web:http", "Ingress shop/site rules[2].paths[0]", 0));
    }

    @Test
    void olderIngressesRankFirstAndUndatedOnesLastByName() {
        String spec = "ingressClassName: berth\n" + rulesTo("web", "name: http");
        ProxyConfig config = translate(BERTH_CLASS + WEB
                + ingress("a-undated", "", spec)
                + ingress("b-newer", "creationTimestamp: \"2026-03-01T00:00:00Z\"", spec)
                + ingress("c-older", "creationTimestamp: \"2025-01-01T00:00:00Z\"", spec)
                + ingress("0-undated", "", spec));
        assertThat(config.routes()).extracting(route -> route.source() + " " + route.rank()).containsExactly(
                "Ingress shop/c-older rules[0].paths[0] 0",
                "Ingress shop/b-newer rules[0].paths[0] 1",
                "Ingress shop/0-undated rules[0].paths[0] 2",
                "Ingress shop/a-undated rules[0].paths[0] 3");
    }

    @Test
    void theOldestIngressWithADefaultBackendProvidesIt() {
        ProxyConfig config = translate(BERTH_CLASS + WEB
                + ingress("newer", "creationTimestamp: \"2026-03-01T00:00:00Z\"",
                        "ingressClassName: berth\ndefaultBackend: {service: {name: web, port: {number: 80}}}")
                + ingress("older", "creationTimestamp: \"2025-01-01T00:00:00Z\"",
                        "ingressClassName: berth\ndefaultBackend: {service: {name: fallback, port: {number: 8080}}}")
                + ingress("oldest", "creationTimestamp: \"2024-01-01T00:00:00Z\"", "ingressClassName: berth\n"
                        + rulesTo("web", "name: http"))
                + ingress("foreign", "creationTimestamp: \"2020-01-01T00:00:00Z\"",
                        "ingressClassName: nginx\ndefaultBackend: {service: {name: web, port: {number: 80}}}"));
        assertThat(config.defaultBackend()).contains("shop/fallback:8080");
        assertThat(config.backends()).containsOnlyKeys("shop/web:http", "shop/fallback:8080");
    }

    @Test
    void weightsAnnotationWeighsEndpointsByAddress() {
        String weighted = WEB.replace("metadata: {name: web, namespace: shop}",
                        "metadata: {name: web, namespace: shop, annotations: {berth.dev/weights: \"10.0.0.1=5, 10.0.0.2=x, nonsense\"}}")
                .replace("  - addresses: [10.0.0.1]", "  - addresses: [10.0.0.2]\n    conditions: {ready: true}\n  - addresses: [10.0.0.1]");
        ProxyConfig config = translate(BERTH_CLASS + weighted + servedTo("ingressClassName: berth"));
        assertThat(config.backends().get("shop/web:http").endpoints())
                .extracting(endpoint -> endpoint.address().getAddress().getHostAddress() + "=" + endpoint.weight())
                .containsExactlyInAnyOrder("10.0.0.1=5", "10.0.0.2=1");
    }
}
