package dev.berth.l2.allocator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pool's {@code spec.serviceAllocation}: which Services the pool serves and how eagerly. A pool that
 * has one is tried before the general pools for the Services it admits, lower {@code priority} first;
 * priority 0 means unset and ranks after every set priority (MetalLB's rule).
 *
 * <p>Admission: the namespace must be listed in {@code namespaces} or match one of
 * {@code namespaceSelectors} (when either is given), and the Service's labels must match one of
 * {@code serviceSelectors} (when given).
 */
public record ServiceAllocation(int priority, List<String> namespaces, List<LabelSelector> namespaceSelectors,
                                List<LabelSelector> serviceSelectors) {

    public ServiceAllocation {
        if (priority < 0) {
            throw new IllegalArgumentException("priority: " + priority + " (expected: >= 0, 0 meaning unset)");
        }
        namespaces = List.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
        namespaceSelectors = List.copyOf(Objects.requireNonNull(namespaceSelectors, "namespaceSelectors"));
        serviceSelectors = List.copyOf(Objects.requireNonNull(serviceSelectors, "serviceSelectors"));
    }

    /** A serviceAllocation with only a priority: admits every Service. */
    public static ServiceAllocation priority(int priority) {
        return new ServiceAllocation(priority, List.of(), List.of(), List.of());
    }

    public ServiceAllocation withNamespaces(String... names) {
        return new ServiceAllocation(priority, List.of(names), namespaceSelectors, serviceSelectors);
    }

    public ServiceAllocation withNamespaceSelectors(LabelSelector... selectors) {
        return new ServiceAllocation(priority, namespaces, List.of(selectors), serviceSelectors);
    }

    public ServiceAllocation withServiceSelectors(LabelSelector... selectors) {
        return new ServiceAllocation(priority, namespaces, namespaceSelectors, List.of(selectors));
    }

    /** Sort rank: a set priority as is, unset after all of them. */
    int rank() {
        return priority == 0 ? Integer.MAX_VALUE : priority;
    }

    /** Why the pool named {@code pool} does not serve {@code request}, or empty when it does. */
    Optional<String> refusal(String pool, ServiceRequest request) {
        if (!admitsNamespace(request)) {
            List<String> allowed = new ArrayList<>();
            if (!namespaces.isEmpty()) {
                allowed.add("namespaces " + String.join(", ", namespaces));
            }
            namespaceSelectors.forEach(selector -> allowed.add("namespaces labelled " + selector));
            return Optional.of("pool " + pool + " does not serve namespace " + request.service().namespace()
                    + " (expected: " + String.join(" or ", allowed) + ")");
        }
        if (!serviceSelectors.isEmpty() && serviceSelectors.stream().noneMatch(s -> s.matches(request.labels()))) {
            List<String> wanted = serviceSelectors.stream().map(LabelSelector::toString).toList();
            return Optional.of("pool " + pool + " does not serve Service " + request.service() + " labelled "
                    + LabelSelector.matchLabels(request.labels()) + " (expected: labels matching "
                    + String.join(" or ", wanted) + ")");
        }
        return Optional.empty();
    }

    private boolean admitsNamespace(ServiceRequest request) {
        if (namespaces.isEmpty() && namespaceSelectors.isEmpty()) {
            return true;
        }
        return namespaces.contains(request.service().namespace())
                || namespaceSelectors.stream().anyMatch(s -> s.matches(request.namespaceLabels()));
    }
}
