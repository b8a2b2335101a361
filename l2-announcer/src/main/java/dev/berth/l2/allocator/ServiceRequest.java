package dev.berth.l2.allocator;

import dev.berth.l2.pool.IpFamily;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one LoadBalancer Service asks of the allocator, translated by the appliance from its spec and
 * annotations. Whatever a user may get wrong (an address outside every pool, three addresses, a pool that
 * does not exist) is accepted here and answered by {@link Allocator#assign} with a problem; only what the
 * API server already guarantees (consistent ipFamilies, valid ports) is checked on construction.
 *
 * @param labels          the Service's labels, for {@code serviceSelectors}
 * @param namespaceLabels the labels of the Service's namespace, for {@code namespaceSelectors}
 * @param requestedIps    {@code spec.loadBalancerIP} or the {@code loadBalancerIPs} annotation; empty for "any"
 * @param pool            the {@code address-pool} annotation
 * @param sharingKey      the {@code allow-shared-ip} annotation
 * @param selector        {@code spec.selector}; Local Services that share an address must have equal ones
 * @param ipFamilies      {@code spec.ipFamilies}, primary family first
 */
public record ServiceRequest(ServiceKey service, Map<String, String> labels, Map<String, String> namespaceLabels,
                             List<InetAddress> requestedIps, Optional<String> pool, Optional<String> sharingKey,
                             ExternalTrafficPolicy trafficPolicy, Map<String, String> selector,
                             List<ServicePort> ports, IpFamilyPolicy familyPolicy, List<IpFamily> ipFamilies) {

    public ServiceRequest {
        Objects.requireNonNull(service, "service");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        namespaceLabels = Map.copyOf(Objects.requireNonNull(namespaceLabels, "namespaceLabels"));
        requestedIps = List.copyOf(Objects.requireNonNull(requestedIps, "requestedIps"));
        // An empty annotation value means "not set", as it does for Kubernetes annotations in general.
        pool = Objects.requireNonNull(pool, "pool").filter(text -> !text.isBlank());
        sharingKey = Objects.requireNonNull(sharingKey, "sharingKey").filter(text -> !text.isBlank());
        Objects.requireNonNull(trafficPolicy, "trafficPolicy");
        selector = Map.copyOf(Objects.requireNonNull(selector, "selector"));
        ports = List.copyOf(Objects.requireNonNull(ports, "ports"));
        Objects.requireNonNull(familyPolicy, "familyPolicy");
        ipFamilies = List.copyOf(Objects.requireNonNull(ipFamilies, "ipFamilies"));
        checkFamilies(familyPolicy, ipFamilies);
    }

    private static void checkFamilies(IpFamilyPolicy policy, List<IpFamily> families) {
        boolean distinct = new HashSet<>(families).size() == families.size();
        boolean sized = switch (policy) {
            case SINGLE_STACK -> families.size() == 1;
            case PREFER_DUAL_STACK -> families.size() == 1 || families.size() == 2;
            case REQUIRE_DUAL_STACK -> families.size() == 2;
        };
        if (!distinct || !sized) {
            throw new IllegalArgumentException("ipFamilies " + families + " with ipFamilyPolicy " + policy
                    + " (expected: one family for SingleStack, two distinct for RequireDualStack, one or two for PreferDualStack)");
        }
    }

    /** A plain single-stack IPv4 request with no pins, labels or ports; refine with the {@code with…} methods. */
    public static ServiceRequest of(ServiceKey service) {
        return new ServiceRequest(service, Map.of(), Map.of(), List.of(), Optional.empty(), Optional.empty(),
                ExternalTrafficPolicy.CLUSTER, Map.of(), List.of(), IpFamilyPolicy.SINGLE_STACK, List.of(IpFamily.IPV4));
    }

    public static ServiceRequest of(String namespaceSlashName) {
        return of(ServiceKey.parse(namespaceSlashName));
    }

    public ServiceRequest withLabels(Map<String, String> value) {
        return new ServiceRequest(service, value, namespaceLabels, requestedIps, pool, sharingKey, trafficPolicy,
                selector, ports, familyPolicy, ipFamilies);
    }

    public ServiceRequest withNamespaceLabels(Map<String, String> value) {
        return new ServiceRequest(service, labels, value, requestedIps, pool, sharingKey, trafficPolicy,
                selector, ports, familyPolicy, ipFamilies);
    }

    public ServiceRequest withRequestedIps(List<InetAddress> value) {
        return new ServiceRequest(service, labels, namespaceLabels, value, pool, sharingKey, trafficPolicy,
                selector, ports, familyPolicy, ipFamilies);
    }

    /** Convenience for literals: {@code withRequestedIps("192.0.2.1", "2001:db8::1")}; never consults DNS. */
    public ServiceRequest withRequestedIps(String... literals) {
        return withRequestedIps(Arrays.stream(literals).map(InetAddress::ofLiteral).toList());
    }

    public ServiceRequest withPool(String value) {
        return new ServiceRequest(service, labels, namespaceLabels, requestedIps, Optional.of(value), sharingKey,
                trafficPolicy, selector, ports, familyPolicy, ipFamilies);
    }

    public ServiceRequest withSharingKey(String value) {
        return new ServiceRequest(service, labels, namespaceLabels, requestedIps, pool, Optional.of(value),
                trafficPolicy, selector, ports, familyPolicy, ipFamilies);
    }

    public ServiceRequest withTrafficPolicy(ExternalTrafficPolicy value) {
        return new ServiceRequest(service, labels, namespaceLabels, requestedIps, pool, sharingKey, value,
                selector, ports, familyPolicy, ipFamilies);
    }

    public ServiceRequest withSelector(Map<String, String> value) {
        return new ServiceRequest(service, labels, namespaceLabels, requestedIps, pool, sharingKey, trafficPolicy,
                value, ports, familyPolicy, ipFamilies);
    }

    public ServiceRequest withPorts(ServicePort... value) {
        return new ServiceRequest(service, labels, namespaceLabels, requestedIps, pool, sharingKey, trafficPolicy,
                selector, List.of(value), familyPolicy, ipFamilies);
    }

    /** Sets policy and families together, since each constrains the other. */
    public ServiceRequest withFamilies(IpFamilyPolicy policy, IpFamily... families) {
        return new ServiceRequest(service, labels, namespaceLabels, requestedIps, pool, sharingKey, trafficPolicy,
                selector, ports, policy, List.of(families));
    }

    /** Whether one family is enough when a pool cannot give both (PreferDualStack on a dual-stack Service). */
    boolean acceptsOneFamily() {
        return familyPolicy == IpFamilyPolicy.PREFER_DUAL_STACK && ipFamilies.size() == 2;
    }
}
