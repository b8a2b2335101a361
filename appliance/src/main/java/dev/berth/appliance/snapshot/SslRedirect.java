package dev.berth.appliance.snapshot;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import dev.berth.proxy.tls.ServerNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an Ingress's hosts with TLS are redirected from HTTP to HTTPS: yes by default, as ingress-nginx does, unless
 * the annotation {@code berth.dev/ssl-redirect} (or ingress-nginx's {@code nginx.ingress.kubernetes.io/ssl-redirect},
 * so its manifests work as they are) says {@code "false"}.
 */
public final class SslRedirect {
    public static final String ANNOTATION = "berth.dev/ssl-redirect";
    public static final String NGINX_ANNOTATION = "nginx.ingress.kubernetes.io/ssl-redirect";

    private SslRedirect() {
    }

    /** The annotation that decides, with its value: Berth's own first. */
    public static Optional<Map.Entry<String, String>> annotation(Ingress ingress) {
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        if (annotations == null) {
            return Optional.empty();
        }
        for (String key : List.of(ANNOTATION, NGINX_ANNOTATION)) {
            if (annotations.containsKey(key)) {
                return Optional.of(Map.entry(key, String.valueOf(annotations.get(key))));
            }
        }
        return Optional.empty();
    }

    /** Whether cleartext requests for {@code host}, a rule's host of this Ingress, go to HTTPS instead. */
    public static boolean redirects(Ingress ingress, String host) {
        boolean enabled = annotation(ingress).map(entry -> !entry.getValue().trim().equalsIgnoreCase("false")).orElse(true);
        return enabled && !host.isEmpty() && hasTls(ingress.getSpec().getTls(), host);
    }

    /**
     * A {@code spec.tls[].hosts} entry names the host, or is the wildcard that covers it: matched as the HTTPS listener
     * matches server names ({@link ServerNames}).
     */
    private static boolean hasTls(List<IngressTLS> entries, String host) {
        if (entries == null) {
            return false;
        }
        ServerNames.Builder<Boolean> names = ServerNames.builder();
        for (IngressTLS entry : entries) {
            for (String tlsHost : entry.getHosts() == null ? List.<String>of() : entry.getHosts()) {
                names.add(tlsHost, Boolean.TRUE);
            }
        }
        return names.build().find(host).isPresent();
    }
}
