package dev.berth.appliance.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * @param ipAddressPools pools announced by name; with no names and no selectors, every pool
 * @param ipAddressPoolSelectors pools announced by label
 * @param nodeSelectors nodes allowed to announce; none means every node
 * @param interfaces interfaces to announce on; none means every eligible interface
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record L2AdvertisementSpec(
        List<String> ipAddressPools,
        List<LabelSelector> ipAddressPoolSelectors,
        List<LabelSelector> nodeSelectors,
        List<String> interfaces) {

    public L2AdvertisementSpec {
        ipAddressPools = ipAddressPools == null ? List.of() : List.copyOf(ipAddressPools);
        ipAddressPoolSelectors = ipAddressPoolSelectors == null ? List.of() : List.copyOf(ipAddressPoolSelectors);
        nodeSelectors = nodeSelectors == null ? List.of() : List.copyOf(nodeSelectors);
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }
}
