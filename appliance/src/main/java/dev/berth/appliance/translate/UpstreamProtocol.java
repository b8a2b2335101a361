package dev.berth.appliance.translate;

import dev.berth.proxy.config.Backend.Protocol;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Locale;
import java.util.Map;

/**
 * How the proxy speaks to a Service port: the Service annotation {@code berth.dev/backend-protocol}
 * ({@code h2c}, {@code http} or {@code https}) when it says so, else the port's {@code appProtocol}
 * ({@code kubernetes.io/h2c} → H2C; {@code https}, {@code kubernetes.io/wss} → HTTPS), else HTTP. An unknown
 * annotation value is ignored rather than guessed at; validation is where it would be reported.
 */
final class UpstreamProtocol {
    static final String ANNOTATION = "berth.dev/backend-protocol";
    private static final Map<String, Protocol> ANNOTATION_VALUES =
            Map.of("h2c", Protocol.H2C, "http", Protocol.HTTP, "https", Protocol.HTTPS);
    private static final Map<String, Protocol> APP_PROTOCOLS =
            Map.of("kubernetes.io/h2c", Protocol.H2C, "https", Protocol.HTTPS, "kubernetes.io/wss", Protocol.HTTPS);

    private UpstreamProtocol() {
    }

    static Protocol of(Service service, ServicePort port) {
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        String annotated = annotations == null ? null : annotations.get(ANNOTATION);
        if (annotated != null) {
            Protocol protocol = ANNOTATION_VALUES.get(annotated.strip().toLowerCase(Locale.ROOT));
            if (protocol != null) {
                return protocol;
            }
        }
        String appProtocol = port.getAppProtocol();
        return appProtocol == null ? Protocol.HTTP : APP_PROTOCOLS.getOrDefault(appProtocol.toLowerCase(Locale.ROOT), Protocol.HTTP);
    }
}
