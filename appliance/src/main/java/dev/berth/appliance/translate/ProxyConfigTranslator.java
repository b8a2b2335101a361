package dev.berth.appliance.translate;

import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.snapshot.SslRedirect;
import dev.berth.appliance.snapshot.TlsSecret;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.config.TlsCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Snapshot → {@link ProxyConfig}: the data plane's half of the flow of state. Called with every Snapshot that
 * passed validation; the proxy builds its route table from the result and swaps it in. Pure: no I/O, no clock.
 *
 * <p>Every rule × path of every Ingress Berth serves ({@link BerthIngresses}) becomes one {@link HttpRoute}:
 * host lower-cased, {@code Exact} → EXACT, {@code Prefix} and {@code ImplementationSpecific} → PREFIX (an
 * ImplementationSpecific path may be missing and then means {@code /}), ranked by the Ingress's age so the
 * older Ingress wins a tie. The default backend comes from the oldest Ingress that sets one. Each {@code spec.tls[]}
 * entry becomes a {@link TlsCertificate}, oldest Ingress first, so that the oldest claim to a server name wins as the
 * oldest claim to a route does; a rule whose host has TLS is redirected from HTTP to HTTPS unless the Ingress says
 * otherwise ({@link SslRedirect}). Backends are
 * resolved as kube-proxy resolves Services ({@link BackendResolver}). Whatever validation holds back cannot
 * arrive here; what remains unusable (a resource backend, a path without a type) is skipped, since validation
 * has already reported it.
 */
public final class ProxyConfigTranslator {

    private ProxyConfigTranslator() {
    }

    public static ProxyConfig translate(long generation, Snapshot snapshot) {
        return translate(generation, snapshot, Optional.empty());
    }

    /**
     * @param defaultCertificate the TLS Secret ({@code run --default-certificate}) the HTTPS listener presents when no
     *     Ingress's certificate covers the name a client asks for; while it is missing or not a TLS Secret, the
     *     listener's own
     */
    public static ProxyConfig translate(long generation, Snapshot snapshot, Optional<ObjectRef> defaultCertificate) {
        BackendResolver resolver = new BackendResolver(snapshot);
        List<HttpRoute> routes = new ArrayList<>();
        List<TlsCertificate> certificates = new ArrayList<>();
        Optional<String> defaultBackend = Optional.empty();
        List<Ingress> ingresses = BerthIngresses.oldestFirst(snapshot);
        for (int rank = 0; rank < ingresses.size(); rank++) {
            Ingress ingress = ingresses.get(rank);
            String namespace = ingress.getMetadata().getNamespace();
            String source = "Ingress " + namespace + "/" + ingress.getMetadata().getName();
            routes.addAll(routes(ingress, namespace, source, rank, resolver));
            certificates.addAll(certificates(ingress, namespace, source, snapshot));
            IngressBackend fallback = ingress.getSpec().getDefaultBackend();
            if (defaultBackend.isEmpty() && fallback != null && fallback.getService() != null) {
                defaultBackend = Optional.of(resolver.resolve(namespace, fallback.getService()));
            }
        }
        return new ProxyConfig(generation, routes, defaultBackend, resolver.backends(), certificates,
                defaultCertificate.flatMap(ref -> certificate(snapshot, ref, List.of(), ref.toString())));
    }

    /**
     * Each {@code spec.tls[]} entry whose Secret exists and is a TLS Secret: its certificate for the entry's hosts (for
     * the names the certificate carries when it lists none). A missing or broken Secret gives nothing here; validation
     * has said why, and the names get the default certificate meanwhile.
     */
    private static List<TlsCertificate> certificates(Ingress ingress, String namespace, String source, Snapshot snapshot) {
        List<TlsCertificate> certificates = new ArrayList<>();
        List<IngressTLS> entries = orEmpty(ingress.getSpec().getTls());
        for (int i = 0; i < entries.size(); i++) {
            IngressTLS entry = entries.get(i);
            if (entry.getSecretName() == null) {
                continue;
            }
            ObjectRef secretRef = new ObjectRef(Kind.SECRET, namespace, entry.getSecretName());
            List<String> hosts = orEmpty(entry.getHosts()).stream().map(host -> host.toLowerCase(Locale.ROOT)).toList();
            certificate(snapshot, secretRef, hosts, secretRef + " (" + source + " spec.tls[" + i + "])").ifPresent(certificates::add);
        }
        return certificates;
    }

    /** The certificate a TLS Secret holds, or empty when there is no such Secret or it holds none. */
    private static Optional<TlsCertificate> certificate(Snapshot snapshot, ObjectRef secretRef, List<String> hosts, String source) {
        Optional<Secret> secret = snapshot.find(secretRef).map(Secret.class::cast).filter(TlsSecret::isTls);
        try {
            Optional<String> chain = secret.flatMap(s -> TlsSecret.entry(s, TlsSecret.CERTIFICATE));
            Optional<String> key = secret.flatMap(s -> TlsSecret.entry(s, TlsSecret.KEY));
            return chain.isPresent() && key.isPresent() ? Optional.of(new TlsCertificate(source, hosts, chain.get(), key.get())) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty(); // validation holds such a Secret at its last good version; one never good has nothing to give
        }
    }

    private static List<HttpRoute> routes(Ingress ingress, String namespace, String source, int rank, BackendResolver resolver) {
        List<HttpRoute> routes = new ArrayList<>();
        List<IngressRule> rules = orEmpty(ingress.getSpec().getRules());
        for (int i = 0; i < rules.size(); i++) {
            IngressRule rule = rules.get(i);
            if (rule.getHttp() == null) {
                continue;
            }
            String host = rule.getHost() == null ? "" : rule.getHost().toLowerCase(Locale.ROOT);
            boolean httpsRedirect = SslRedirect.redirects(ingress, host);
            List<HTTPIngressPath> paths = orEmpty(rule.getHttp().getPaths());
            for (int j = 0; j < paths.size(); j++) {
                HTTPIngressPath path = paths.get(j);
                HttpRoute.PathType type = pathType(path.getPathType());
                String value = path(path);
                if (type == null || value == null || path.getBackend() == null || path.getBackend().getService() == null) {
                    continue;
                }
                String backend = resolver.resolve(namespace, path.getBackend().getService());
                routes.add(new HttpRoute(host, type, value, backend, source + " rules[" + i + "].paths[" + j + "]", rank, httpsRedirect));
            }
        }
        return routes;
    }

    private static HttpRoute.PathType pathType(String pathType) {
        return switch (pathType == null ? "" : pathType) {
            case "Exact" -> HttpRoute.PathType.EXACT;
            case "Prefix", "ImplementationSpecific" -> HttpRoute.PathType.PREFIX;
            default -> null;
        };
    }

    /** The path to match, or null when there is none usable; only ImplementationSpecific may leave it out. */
    private static String path(HTTPIngressPath path) {
        String value = path.getPath();
        if ((value == null || value.isEmpty()) && "ImplementationSpecific".equals(path.getPathType())) {
            return "/";
        }
        return value != null && value.startsWith("/") ? value : null;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
