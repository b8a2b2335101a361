package dev.berth.appliance.address;

import dev.berth.l2.allocator.ExternalTrafficPolicy;
import dev.berth.l2.allocator.IpFamilyPolicy;
import dev.berth.l2.allocator.ServiceKey;
import dev.berth.l2.allocator.ServicePort;
import dev.berth.l2.allocator.ServiceRequest;
import dev.berth.l2.pool.IpFamily;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes Service → allocator request: which Services are Berth's (type LoadBalancer, and a
 * {@code loadBalancerClass} Berth serves), and what each asks for. A mistake the user made (an IP that is not
 * one, an unknown family) is a value the caller reports on the Service, never an exception.
 */
final class ServiceRequests {
    /** The class Berth answers to by default, besides Services that name no class. */
    static final String DEFAULT_CLASS = "berth.dev/lb";

    private ServiceRequests() {
    }

    /** A request, or the field and message of what is wrong with the Service. */
    sealed interface Parsed {
        record Request(ServiceRequest request) implements Parsed {
        }

        record Invalid(String field, String message) implements Parsed {
        }
    }

    /**
     * @param classes the {@code loadBalancerClass} values served; a Service without a class is served when the
     *     set contains the empty string
     */
    static boolean isServed(Service service, Set<String> classes) {
        ServiceSpec spec = service.getSpec();
        if (spec == null || !"LoadBalancer".equals(spec.getType())) {
            return false;
        }
        String loadBalancerClass = spec.getLoadBalancerClass() == null ? "" : spec.getLoadBalancerClass();
        return classes.contains(loadBalancerClass);
    }

    static Parsed parse(Service service, Map<String, String> namespaceLabels) {
        ServiceSpec spec = service.getSpec();
        ServiceKey key = new ServiceKey(service.getMetadata().getNamespace(), service.getMetadata().getName());
        List<InetAddress> requested = new ArrayList<>();
        Optional<Annotations.Found> ips = Annotations.find(service, Annotations.LOAD_BALANCER_IPS);
        String ipsField = ips.map(found -> "metadata.annotations[" + found.key() + "]").orElse("spec.loadBalancerIP");
        String ipsText = ips.map(Annotations.Found::value).orElse(spec.getLoadBalancerIP());
        if (ipsText != null && !ipsText.isBlank()) {
            for (String literal : ipsText.split(",")) {
                try {
                    requested.add(InetAddress.ofLiteral(literal.strip()));
                } catch (IllegalArgumentException e) {
                    return new Parsed.Invalid(ipsField, "'" + literal.strip() + "' is not an IP address (expected: IPv4 or IPv6 literals, comma-separated)");
                }
            }
        }
        List<IpFamily> families = new ArrayList<>();
        for (String family : orEmpty(spec.getIpFamilies())) {
            switch (family) {
                case "IPv4" -> families.add(IpFamily.IPV4);
                case "IPv6" -> families.add(IpFamily.IPV6);
                default -> {
                    return new Parsed.Invalid("spec.ipFamilies", "'" + family + "' (expected: IPv4 or IPv6)");
                }
            }
        }
        if (families.isEmpty()) {
            // A hand-written standalone manifest has no API server to default these: follow the requested IPs.
            requested.stream().map(ip -> ip instanceof Inet4Address ? IpFamily.IPV4 : IpFamily.IPV6).distinct().forEach(families::add);
            if (families.isEmpty()) {
                families.add(IpFamily.IPV4);
            }
        }
        IpFamilyPolicy policy;
        String policyText = spec.getIpFamilyPolicy();
        if (policyText == null) {
            policy = families.size() == 2 ? IpFamilyPolicy.REQUIRE_DUAL_STACK : IpFamilyPolicy.SINGLE_STACK;
        } else {
            switch (policyText) {
                case "SingleStack" -> policy = IpFamilyPolicy.SINGLE_STACK;
                case "PreferDualStack" -> policy = IpFamilyPolicy.PREFER_DUAL_STACK;
                case "RequireDualStack" -> policy = IpFamilyPolicy.REQUIRE_DUAL_STACK;
                default -> {
                    return new Parsed.Invalid("spec.ipFamilyPolicy", "'" + policyText + "' (expected: SingleStack, PreferDualStack or RequireDualStack)");
                }
            }
        }
        List<ServicePort> ports = new ArrayList<>();
        for (var port : orEmpty(spec.getPorts())) {
            String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol().toUpperCase(Locale.ROOT);
            if (port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535 || !Set.of("TCP", "UDP", "SCTP").contains(protocol)) {
                return new Parsed.Invalid("spec.ports", "port " + port.getPort() + "/" + protocol + " (expected: 1..65535 over TCP, UDP or SCTP)");
            }
            ports.add(new ServicePort(ServicePort.Protocol.valueOf(protocol), port.getPort()));
        }
        ExternalTrafficPolicy trafficPolicy = "Local".equals(spec.getExternalTrafficPolicy())
                ? ExternalTrafficPolicy.LOCAL : ExternalTrafficPolicy.CLUSTER;
        try {
            return new Parsed.Request(new ServiceRequest(key, orEmpty(service.getMetadata().getLabels()), namespaceLabels, requested,
                    Annotations.find(service, Annotations.ADDRESS_POOL).map(Annotations.Found::value),
                    Annotations.find(service, Annotations.ALLOW_SHARED_IP).map(Annotations.Found::value),
                    trafficPolicy, orEmpty(spec.getSelector()), ports, policy, families));
        } catch (IllegalArgumentException e) {
            return new Parsed.Invalid("spec.ipFamilies", e.getMessage());
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
