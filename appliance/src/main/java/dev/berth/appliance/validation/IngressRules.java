package dev.berth.appliance.validation;

import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.snapshot.SslRedirect;
import dev.berth.appliance.snapshot.TlsSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Ingress, with two effects. A malformed Ingress (bad host, unknown pathType, relative path, a backend that
 * names no port) is held at its last good version, so one tenant's typo leaves everyone else's routes
 * updating. A reference to a Service, port or Secret that does not exist is legal and often transient
 * (the Ingress was applied first): it is applied, answers 503 or uses the default certificate, and is reported.
 */
final class IngressRules implements Validator.Rules {
    private static final Set<String> PATH_TYPES = Set.of("Exact", "Prefix", "ImplementationSpecific");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    @Override
    public void check(Snapshot snapshot, Problems problems) {
        for (Ingress ingress : snapshot.ingresses()) {
            ObjectRef ref = ObjectRef.of(Kind.INGRESS, ingress);
            var spec = ingress.getSpec();
            if (spec == null) {
                problems.add(ref, "spec", "missing (expected: rules or a defaultBackend)", Effect.HOLDS_OBJECT);
                continue;
            }
            if (spec.getDefaultBackend() != null) {
                checkBackend(spec.getDefaultBackend(), "spec.defaultBackend", ref, snapshot, problems);
            }
            List<IngressRule> rules = orEmpty(spec.getRules());
            for (int i = 0; i < rules.size(); i++) {
                checkRule(rules.get(i), "spec.rules[" + i + "]", ref, snapshot, problems);
            }
            SslRedirect.annotation(ingress).filter(entry -> !entry.getValue().trim().matches("(?i)true|false")).ifPresent(entry ->
                    problems.add(ref, "metadata.annotations[" + entry.getKey() + "]", "'" + entry.getValue()
                            + "' (expected: \"true\" or \"false\"; redirecting meanwhile)", Effect.WARNS));
            List<IngressTLS> tls = orEmpty(spec.getTls());
            for (int i = 0; i < tls.size(); i++) {
                checkTls(tls.get(i), "spec.tls[" + i + "]", ref, snapshot, problems);
            }
        }
    }

    private static void checkRule(IngressRule rule, String field, ObjectRef ref, Snapshot snapshot, Problems problems) {
        if (rule.getHost() != null) {
            hostProblem(rule.getHost()).ifPresent(message -> problems.add(ref, field + ".host", message, Effect.HOLDS_OBJECT));
        }
        if (rule.getHttp() == null) {
            return;
        }
        List<HTTPIngressPath> paths = orEmpty(rule.getHttp().getPaths());
        for (int j = 0; j < paths.size(); j++) {
            HTTPIngressPath path = paths.get(j);
            String at = field + ".http.paths[" + j + "]";
            String pathType = path.getPathType();
            if (pathType == null) {
                problems.add(ref, at + ".pathType", "missing (expected: Exact, Prefix or ImplementationSpecific)", Effect.HOLDS_OBJECT);
            } else if (!PATH_TYPES.contains(pathType)) {
                problems.add(ref, at + ".pathType", "'" + pathType + "' (expected: Exact, Prefix or ImplementationSpecific)",
                        Effect.HOLDS_OBJECT);
            }
            String value = path.getPath();
            if (value != null && !value.startsWith("/")) {
                problems.add(ref, at + ".path", "'" + value + "' is not absolute (expected: a path starting with '/')",
                        Effect.HOLDS_OBJECT);
            } else if (value == null && !"ImplementationSpecific".equals(pathType)) {
                problems.add(ref, at + ".path", "missing (expected: a path starting with '/')", Effect.HOLDS_OBJECT);
            }
            if (path.getBackend() == null) {
                problems.add(ref, at + ".backend", "missing (expected: a service backend)", Effect.HOLDS_OBJECT);
            } else {
                checkBackend(path.getBackend(), at + ".backend", ref, snapshot, problems);
            }
        }
    }

    private static void checkBackend(IngressBackend backend, String field, ObjectRef ref, Snapshot snapshot, Problems problems) {
        IngressServiceBackend service = backend.getService();
        if (service == null) {
            String message = backend.getResource() != null
                    ? "resource backends are not served by Berth (expected: service)"
                    : "names no service (expected: service.name and service.port)";
            problems.add(ref, field, message, backend.getResource() != null ? Effect.WARNS : Effect.HOLDS_OBJECT);
            return;
        }
        if (service.getName() == null || service.getName().isBlank()) {
            problems.add(ref, field + ".service.name", "missing (expected: the name of a Service)", Effect.HOLDS_OBJECT);
            return;
        }
        ServiceBackendPort port = service.getPort();
        boolean hasNumber = port != null && port.getNumber() != null;
        boolean hasName = port != null && port.getName() != null && !port.getName().isEmpty();
        if (hasNumber == hasName) {
            problems.add(ref, field + ".service.port", "sets " + (hasNumber ? "both number and name" : "neither number nor name")
                    + " (expected: exactly one of number or name)", Effect.HOLDS_OBJECT);
            return;
        }
        if (hasNumber && (port.getNumber() < 1 || port.getNumber() > 65535)) {
            problems.add(ref, field + ".service.port.number", port.getNumber() + " (expected: 1..65535)", Effect.HOLDS_OBJECT);
            return;
        }
        ObjectRef serviceRef = new ObjectRef(Kind.SERVICE, ref.namespace(), service.getName());
        Optional<Service> target = snapshot.find(serviceRef).map(Service.class::cast);
        if (target.isEmpty()) {
            problems.add(ref, field + ".service.name", "no " + serviceRef + " (answers 503 until it exists)", Effect.WARNS);
            return;
        }
        List<ServicePort> ports = target.get().getSpec() == null ? List.of() : orEmpty(target.get().getSpec().getPorts());
        boolean found = ports.stream().anyMatch(p -> hasNumber ? port.getNumber().equals(p.getPort()) : port.getName().equals(p.getName()));
        if (!found) {
            String wanted = hasNumber ? "port " + port.getNumber() : "port named '" + port.getName() + "'";
            String offered = ports.isEmpty() ? "none" : ports.stream()
                    .map(p -> (p.getName() == null || p.getName().isEmpty() ? "" : p.getName() + "=") + p.getPort())
                    .collect(Collectors.joining(", "));
            problems.add(ref, field + ".service.port", serviceRef + " has no " + wanted + " (expected: one of " + offered
                    + "; answers 503 until it does)", Effect.WARNS);
        }
    }

    private static void checkTls(IngressTLS tls, String field, ObjectRef ref, Snapshot snapshot, Problems problems) {
        List<String> hosts = orEmpty(tls.getHosts());
        for (int i = 0; i < hosts.size(); i++) {
            String at = field + ".hosts[" + i + "]";
            hostProblem(hosts.get(i)).ifPresent(message -> problems.add(ref, at, message, Effect.HOLDS_OBJECT));
        }
        if (tls.getSecretName() == null) {
            return;
        }
        ObjectRef secretRef = new ObjectRef(Kind.SECRET, ref.namespace(), tls.getSecretName());
        Optional<Secret> secret = snapshot.find(secretRef).map(Secret.class::cast);
        if (secret.isEmpty()) {
            problems.add(ref, field + ".secretName", "no " + secretRef + " (the default certificate is used until it exists)",
                    Effect.WARNS);
        } else if (!TlsSecret.isTls(secret.get())) {
            problems.add(ref, field + ".secretName", secretRef + " has type '" + secret.get().getType()
                    + "' (expected: " + TlsSecret.TYPE + ")", Effect.WARNS);
        }
    }

    /** Why a host is not a valid Ingress host, or empty if it is. */
    static Optional<String> hostProblem(String host) {
        String name = host.startsWith("*.") ? host.substring(2) : host;
        if (host.isEmpty()) {
            return Optional.of("empty (expected: a DNS name, optionally with a leading '*.')");
        }
        if (name.contains(":") || name.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return Optional.of("'" + host + "' is an IP address or has a port (expected: a DNS name)");
        }
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            return Optional.of("'" + host + "' (expected: lower-case DNS name, optionally with a leading '*.' for one label)");
        }
        return Optional.empty();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
