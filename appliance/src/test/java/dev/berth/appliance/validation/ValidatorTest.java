package dev.berth.appliance.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.Manifests;
import dev.berth.appliance.TestCertificates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorTest {
    private static final String WEB_SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            """;

    @TempDir
    Path scratch;

    private List<Problem> validate(String yaml) {
        return Validator.validate(Manifests.snapshot(scratch, yaml));
    }

    private static String pool(String name, String... addresses) {
        return """
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: %s, namespace: berth-system}
                spec:
                  addresses: [%s]
                ---
                """.formatted(name, String.join(", ", addresses));
    }

    private static String ingress(String paths) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: site}
                spec:
                  rules:
                    - host: site.example.com
                      http:
                        paths:
                %s
                """.formatted(paths.indent(10));
    }

    private static List<String> lines(List<Problem> problems) {
        return problems.stream().map(Problem::toString).toList();
    }

    @Test
    void theQuickStartIsValid() throws Exception {
        var observation = new dev.berth.appliance.source.ManifestReader().read(Path.of("../examples/quickstart"));
        assertThat(observation.problems()).isEmpty();
        assertThat(Validator.validate(observation.snapshot())).isEmpty();
    }

    @Test
    void prefixLengthBeyondTheFamily() {
        assertThat(lines(validate(pool("wide", "10.0.0.0/33")))).containsExactly(
                "IPAddressPool berth-system/wide: spec.addresses[0]: '10.0.0.0/33': prefix length 33 is out of range for IPv4 (expected: 0..32)");
    }

    @Test
    void rangeWhoseEndPrecedesItsStart() {
        assertThat(lines(validate(pool("backwards", "192.0.2.20-192.0.2.10")))).containsExactly(
                "IPAddressPool berth-system/backwards: spec.addresses[0]: '192.0.2.20-192.0.2.10': end 192.0.2.10 precedes start 192.0.2.20 (expected: start <= end)");
    }

    @Test
    void overlappingPoolsNameBothPools() {
        List<Problem> problems = validate(pool("a", "192.0.2.0/28") + pool("b", "192.0.2.8-192.0.2.30"));
        assertThat(lines(problems)).containsExactly(
                "IPAddressPool berth-system/b: spec.addresses[0]: '192.0.2.8-192.0.2.30' overlaps IPAddressPool berth-system/a's '192.0.2.0/28' (expected: every address in at most one pool)");
        assertThat(problems.getFirst().effect()).isEqualTo(Effect.REJECTS_CONFIG);
    }

    @Test
    void overlapInsideOnePool() {
        assertThat(lines(validate(pool("a", "192.0.2.0/28", "192.0.2.15/32")))).singleElement().asString()
                .contains("overlaps this pool's '192.0.2.0/28'");
    }

    @Test
    void dualStackPoolsDoNotOverlapAcrossFamilies() {
        assertThat(validate(pool("a", "192.0.2.0/24", "2001:db8::/64") + pool("b", "198.51.100.0/24", "2001:db8:1::/64"))).isEmpty();
    }

    @Test
    void emptyPool() {
        assertThat(lines(validate(pool("empty")))).containsExactly(
                "IPAddressPool berth-system/empty: spec.addresses: empty (expected: at least one CIDR or range)");
    }

    @Test
    void badSelectorOperatorInAPool() {
        List<Problem> problems = validate("""
                apiVersion: berth.dev/v1alpha1
                kind: IPAddressPool
                metadata: {name: a, namespace: berth-system}
                spec:
                  addresses: [192.0.2.0/28]
                  serviceAllocation:
                    serviceSelectors:
                      - matchExpressions: [{key: tier, operator: Equals, values: [web]}]
                """);
        assertThat(lines(problems)).containsExactly("IPAddressPool berth-system/a: spec.serviceAllocation.serviceSelectors[0].matchExpressions[0].operator: "
                + "'Equals' (expected: In, NotIn, Exists or DoesNotExist)");
    }

    @Test
    void advertisementNamingAnUnknownPool() {
        List<Problem> problems = validate(pool("lan", "192.0.2.0/28") + """
                apiVersion: berth.dev/v1alpha1
                kind: L2Advertisement
                metadata: {name: l2, namespace: berth-system}
                spec:
                  ipAddressPools: [lan, wan]
                  interfaces: [eth0, "this-name-is-too-long"]
                """);
        assertThat(lines(problems)).containsExactly(
                "L2Advertisement berth-system/l2: spec.ipAddressPools[1]: no IPAddressPool berth-system/wan (expected: the name of a pool in namespace 'berth-system')",
                "L2Advertisement berth-system/l2: spec.interfaces[1]: 'this-name-is-too-long' (expected: a Linux interface name, 1 to 15 characters, no '/' or spaces)");
    }

    @Test
    void ingressBackendNamingAPortTheServiceLacks() {
        List<Problem> problems = validate(WEB_SERVICE + ingress("""
                - path: /
                  pathType: Prefix
                  backend: {service: {name: web, port: {number: 8080}}}
                """));
        assertThat(lines(problems)).containsExactly("Ingress default/site: spec.rules[0].http.paths[0].backend.service.port: "
                + "Service default/web has no port 8080 (expected: one of http=80; answers 503 until it does)");
        assertThat(problems.getFirst().effect()).isEqualTo(Effect.WARNS);
    }

    @Test
    void ingressBackendByPortNameIsResolved() {
        assertThat(validate(WEB_SERVICE + ingress("""
                - path: /
                  pathType: Exact
                  backend: {service: {name: web, port: {name: http}}}
                """))).isEmpty();
    }

    @Test
    void ingressBackendNamingAMissingServiceWarns() {
        assertThat(lines(validate(ingress("""
                - path: /
                  pathType: Prefix
                  backend: {service: {name: gone, port: {number: 80}}}
                """)))).containsExactly(
                "Ingress default/site: spec.rules[0].http.paths[0].backend.service.name: no Service default/gone (answers 503 until it exists)");
    }

    @Test
    void unknownPathTypeHoldsTheIngress() {
        List<Problem> problems = validate(WEB_SERVICE + ingress("""
                - path: /
                  pathType: Regex
                  backend: {service: {name: web, port: {number: 80}}}
                """));
        assertThat(lines(problems)).containsExactly("Ingress default/site: spec.rules[0].http.paths[0].pathType: "
                + "'Regex' (expected: Exact, Prefix or ImplementationSpecific)");
        assertThat(problems.getFirst().effect()).isEqualTo(Effect.HOLDS_OBJECT);
    }

    @Test
    void missingPathTypeAndRelativePath() {
        assertThat(lines(validate(WEB_SERVICE + ingress("""
                - path: api
                  backend: {service: {name: web, port: {number: 80}}}
                """)))).containsExactly(
                "Ingress default/site: spec.rules[0].http.paths[0].pathType: missing (expected: Exact, Prefix or ImplementationSpecific)",
                "Ingress default/site: spec.rules[0].http.paths[0].path: 'api' is not absolute (expected: a path starting with '/')");
    }

    @Test
    void backendPortWithBothNumberAndName() {
        assertThat(lines(validate(WEB_SERVICE + ingress("""
                - path: /
                  pathType: Prefix
                  backend: {service: {name: web, port: {number: 80, name: http}}}
                """)))).containsExactly("Ingress default/site: spec.rules[0].http.paths[0].backend.service.port: "
                + "sets both number and name (expected: exactly one of number or name)");
    }

    @Test
    void hostsMustBeDnsNamesWithAtMostALeadingWildcard() {
        assertThat(IngressRules.hostProblem("foo.example.com")).isEmpty();
        assertThat(IngressRules.hostProblem("*.example.com")).isEmpty();
        assertThat(IngressRules.hostProblem("192.0.2.1")).get().asString().contains("is an IP address");
        assertThat(IngressRules.hostProblem("example.com:80")).get().asString().contains("has a port");
        assertThat(IngressRules.hostProblem("foo.*.example.com")).isPresent();
        assertThat(IngressRules.hostProblem("Foo.example.com")).isPresent();
    }

    @Test
    void tlsSecretWhoseCertificateDoesNotParse() {
        List<Problem> problems = validate("""
                apiVersion: v1
                kind: Secret
                metadata: {name: cert}
                type: kubernetes.io/tls
                stringData:
                  tls.crt: |
                    -----BEGIN CERTIFICATE-----
                    bm90IGEgY2VydGlmaWNhdGU=
                    -----END CERTIFICATE-----
                  tls.key: nothing here
                """);
        assertThat(lines(problems)).hasSize(2)
                .anySatisfy(line -> assertThat(line).startsWith("Secret default/cert: data[tls.crt]: certificate does not parse: ")
                        .endsWith("(expected: PEM X.509 certificates)"))
                .contains("Secret default/cert: data[tls.key]: holds no private key "
                        + "(expected: a PEM block BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        assertThat(problems).allSatisfy(problem -> assertThat(problem.effect()).isEqualTo(Effect.HOLDS_OBJECT));
    }

    @Test
    void tlsSecretWithARealCertificateIsValid() throws Exception {
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata: {name: cert}
                type: kubernetes.io/tls
                """ + TestCertificates.selfSigned("site.example.com").secretData();
        assertThat(validate(secret)).isEmpty();
    }

    @Test
    void tlsSecretWhoseKeyBelongsToAnotherCertificateIsHeld() throws Exception {
        TestCertificates.Pem site = TestCertificates.selfSigned("site.example.com");
        TestCertificates.Pem other = TestCertificates.selfSigned("other.example.com");
        List<Problem> problems = validate("""
                apiVersion: v1
                kind: Secret
                metadata: {name: cert}
                type: kubernetes.io/tls
                """ + new TestCertificates.Pem(site.certificate(), other.privateKey()).secretData());
        assertThat(lines(problems)).containsExactly("Secret default/cert: data[tls.key]: does not belong to the certificate "
                + "CN=site.example.com (expected: the private key of the first certificate in tls.crt)");
        assertThat(problems).allSatisfy(problem -> assertThat(problem.effect()).isEqualTo(Effect.HOLDS_OBJECT));
    }

    @Test
    void aTlsSecretIsReadAgainWhenItsContentChanges() throws Exception {
        TestCertificates.Pem site = TestCertificates.selfSigned("site.example.com");
        TestCertificates.Pem other = TestCertificates.selfSigned("other.example.com");
        String header = """
                apiVersion: v1
                kind: Secret
                metadata: {name: cert}
                type: kubernetes.io/tls
                """;
        String good = header + site.secretData();
        String mismatched = header + new TestCertificates.Pem(site.certificate(), other.privateKey()).secretData();
        String mismatchedProblem = "Secret default/cert: data[tls.key]: does not belong to the certificate CN=site.example.com "
                + "(expected: the private key of the first certificate in tls.crt)";

        assertThat(validate(good)).isEmpty();
        assertThat(lines(validate(mismatched))).containsExactly(mismatchedProblem);
        assertThat(lines(validate(mismatched))).containsExactly(mismatchedProblem);
        assertThat(validate(good)).isEmpty();
        assertThat(lines(validate(mismatched + "---\n" + good.replace("name: cert", "name: cert-2"))))
                .containsExactly(mismatchedProblem);
    }

    @Test
    void anSslRedirectAnnotationThatIsNotABooleanWarns() {
        assertThat(lines(validate("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: site
                  annotations: {berth.dev/ssl-redirect: "sometimes"}
                spec:
                  defaultBackend: {service: {name: nowhere, port: {number: 80}}}
                """))).contains("Ingress default/site: metadata.annotations[berth.dev/ssl-redirect]: 'sometimes' "
                + "(expected: \"true\" or \"false\"; redirecting meanwhile)");
    }

    @Test
    void tlsSecretMissingItsKey() {
        assertThat(lines(validate("""
                apiVersion: v1
                kind: Secret
                metadata: {name: cert}
                type: kubernetes.io/tls
                data: {}
                """))).contains("Secret default/cert: data[tls.key]: missing (expected: a PEM private key under data or stringData)");
    }

    @Test
    void ingressTlsNamingAMissingSecretWarns() {
        assertThat(lines(validate("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: site}
                spec:
                  tls: [{hosts: [site.example.com], secretName: nowhere}]
                """))).containsExactly(
                "Ingress default/site: spec.tls[0].secretName: no Secret default/nowhere (the default certificate is used until it exists)");
    }

    @Test
    void endpointSliceAddressesMustMatchTheirType() {
        List<Problem> problems = validate("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}
                addressType: IPv4
                endpoints:
                  - addresses: ["2001:db8::1"]
                  - addresses: ["backend.local"]
                ports: [{port: 70000}]
                """);
        assertThat(lines(problems)).containsExactly(
                "EndpointSlice default/web-1: endpoints[0].addresses[0]: '2001:db8::1' (expected: an IPv4 address, as addressType says)",
                "EndpointSlice default/web-1: endpoints[1].addresses[0]: 'backend.local' (expected: an IPv4 address, as addressType says)",
                "EndpointSlice default/web-1: ports[0].port: 70000 (expected: 1..65535)");
    }

    @Test
    void ingressClassWithoutController() {
        assertThat(lines(validate("""
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata: {name: berth}
                spec: {}
                """))).containsExactly(
                "IngressClass berth: spec.controller: missing (expected: a controller name such as berth.dev/ingress-controller)");
    }
}
