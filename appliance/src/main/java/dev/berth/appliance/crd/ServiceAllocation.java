package dev.berth.appliance.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * Which Services a pool serves (MetalLB's serviceAllocation).
 *
 * @param priority lower wins; unset ranks after every set priority
 * @param namespaces Services in these namespaces only
 * @param namespaceSelectors Services in namespaces whose labels match
 * @param serviceSelectors Services whose labels match
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ServiceAllocation(
        Integer priority,
        List<String> namespaces,
        List<LabelSelector> namespaceSelectors,
        List<LabelSelector> serviceSelectors) {

    public ServiceAllocation {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        namespaceSelectors = namespaceSelectors == null ? List.of() : List.copyOf(namespaceSelectors);
        serviceSelectors = serviceSelectors == null ? List.of() : List.copyOf(serviceSelectors);
    }
}
