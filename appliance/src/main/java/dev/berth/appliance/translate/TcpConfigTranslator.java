package dev.berth.appliance.translate;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.pool.IpText;
import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.ProxyProtocol;
import dev.berth.proxy.config.TcpConfig;
import dev.berth.proxy.config.TcpService;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot → {@link TcpConfig}: a LoadBalancer Service annotated {@code berth.dev/proxy: tcp} gets one TCP
 * listener per TCP port on each of its allocated IPs (or on {@code --tcp-bind} when given, for a single machine
 * without VIPs), forwarding to the endpoints of that port as an Ingress backend would. Annotations:
 * {@code berth.dev/proxy-protocol: v1|v2} sends a PROXY header upstream, {@code berth.dev/proxy-protocol-trusted:
 * CIDR,…} believes one from those clients.
 */
public final class TcpConfigTranslator {
    private static final Logger log = LoggerFactory.getLogger(TcpConfigTranslator.class);
    static final String PROXY = "berth.dev/proxy";
    static final String PROXY_PROTOCOL = "berth.dev/proxy-protocol";
    static final String PROXY_PROTOCOL_TRUSTED = "berth.dev/proxy-protocol-trusted";

    private TcpConfigTranslator() {
    }

    /**
     * @param addressesOf the IPs allocated to a Service (namespace, name), empty while it has none
     * @param bind when present, every TCP listener binds this address instead of the Service's IPs
     */
    public static TcpConfig translate(long generation, Snapshot snapshot, BiFunction<String, String, List<InetAddress>> addressesOf,
            Optional<InetAddress> bind) {
        BackendResolver resolver = new BackendResolver(snapshot);
        List<TcpService> services = new ArrayList<>();
        for (Service service : snapshot.services()) {
            if (!isTcpProxied(service)) {
                continue;
            }
            String namespace = service.getMetadata().getNamespace();
            List<InetAddress> listenOn = bind.map(List::of).orElseGet(() -> addressesOf.apply(namespace, service.getMetadata().getName()));
            for (ServicePort port : orEmpty(service.getSpec().getPorts())) {
                if (port.getProtocol() != null && !port.getProtocol().equalsIgnoreCase("TCP")) {
                    continue;
                }
                Backend backend = resolver.backendOf(service, port);
                for (InetAddress address : listenOn) {
                    String name = backend.name() + (listenOn.size() > 1 ? "@" + IpText.of(address) : "");
                    try {
                        services.add(new TcpService(name, new InetSocketAddress(address, port.getPort()), backend.balance(),
                                backend.endpoints(), sendProtocol(service), trusted(service)));
                    } catch (IllegalArgumentException e) {
                        log.warn("Service {}/{} not proxied: {}", namespace, service.getMetadata().getName(), e.getMessage());
                    }
                }
            }
        }
        return new TcpConfig(generation, services);
    }

    static boolean isTcpProxied(Service service) {
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        return service.getSpec() != null && "LoadBalancer".equals(service.getSpec().getType())
                && annotations != null && "tcp".equals(annotations.get(PROXY));
    }

    private static ProxyProtocol sendProtocol(Service service) {
        String value = service.getMetadata().getAnnotations().get(PROXY_PROTOCOL);
        if (value == null || value.isBlank()) {
            return ProxyProtocol.NONE;
        }
        try {
            return ProxyProtocol.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            log.warn("Service {}/{}: {}: '{}' (expected: v1 or v2); sending none", service.getMetadata().getNamespace(),
                    service.getMetadata().getName(), PROXY_PROTOCOL, value);
            return ProxyProtocol.NONE;
        }
    }

    private static List<String> trusted(Service service) {
        String value = service.getMetadata().getAnnotations().get(PROXY_PROTOCOL_TRUSTED);
        return value == null || value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::strip).toList();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
