package dev.berth.appliance.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * @param addresses CIDRs ({@code 192.0.2.0/28}) or ranges ({@code 192.0.2.10-192.0.2.20}), IPv4 and IPv6
 * @param autoAssign whether Services that ask for no pool may get addresses from this one (default true)
 * @param avoidBuggyIPs skip addresses ending in .0 and .255 (default false)
 * @param serviceAllocation which Services this pool serves, and with what priority
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IPAddressPoolSpec(
        List<String> addresses, Boolean autoAssign, Boolean avoidBuggyIPs, ServiceAllocation serviceAllocation) {

    public IPAddressPoolSpec {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    public boolean autoAssignOrDefault() {
        return autoAssign == null || autoAssign;
    }

    public boolean avoidBuggyIPsOrDefault() {
        return avoidBuggyIPs != null && avoidBuggyIPs;
    }
}
