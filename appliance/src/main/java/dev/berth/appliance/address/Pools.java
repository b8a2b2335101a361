package dev.berth.appliance.address;

import dev.berth.appliance.crd.IPAddressPool;
import dev.berth.l2.allocator.AddressPool;
import dev.berth.l2.allocator.LabelSelector;
import dev.berth.l2.allocator.ServiceAllocation;
import dev.berth.l2.pool.AddressRange;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IPAddressPool resources → the allocator's pools. Runs only on validated Snapshots (validation rejects a
 * configuration whose pools do not parse), so a parse failure here is a bug, not user input.
 */
final class Pools {
    private Pools() {
    }

    static List<AddressPool> of(List<IPAddressPool> resources) {
        return resources.stream().map(Pools::of).toList();
    }

    private static AddressPool of(IPAddressPool resource) {
        var spec = resource.getSpec();
        List<AddressRange> ranges = spec.addresses().stream().map(AddressRange::parse).toList();
        Optional<ServiceAllocation> allocation = Optional.ofNullable(spec.serviceAllocation()).map(Pools::of);
        return new AddressPool(resource.getMetadata().getName(), ranges, spec.autoAssignOrDefault(), spec.avoidBuggyIPsOrDefault(), allocation);
    }

    private static ServiceAllocation of(dev.berth.appliance.crd.ServiceAllocation allocation) {
        return new ServiceAllocation(allocation.priority() == null ? 0 : allocation.priority(), allocation.namespaces(),
                allocation.namespaceSelectors().stream().map(Pools::of).toList(),
                allocation.serviceSelectors().stream().map(Pools::of).toList());
    }

    static LabelSelector of(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        Map<String, String> labels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        List<LabelSelector.Requirement> requirements = selector.getMatchExpressions() == null ? List.of()
                : selector.getMatchExpressions().stream()
                        .map(expression -> new LabelSelector.Requirement(expression.getKey(), operator(expression.getOperator()),
                                expression.getValues() == null ? List.of() : expression.getValues()))
                        .toList();
        return new LabelSelector(labels, requirements);
    }

    private static LabelSelector.Operator operator(String text) {
        return Arrays.stream(LabelSelector.Operator.values())
                .filter(operator -> operator.toString().equals(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("operator '" + text + "' passed validation"));
    }
}
