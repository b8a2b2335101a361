package dev.berth.l2.allocator;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of a request that decides whether two Services may hold the same address (MetalLB's rule):
 * both carry the same {@code allow-shared-ip} key, use the same externalTrafficPolicy, select the same
 * pods when that policy is Local (one node answers for the address, and it must have endpoints of both),
 * and expose no protocol + port twice.
 */
record SharingTerms(Optional<String> key, ExternalTrafficPolicy policy, Map<String, String> selector,
                    List<ServicePort> ports) {

    static SharingTerms of(ServiceRequest request) {
        return new SharingTerms(request.sharingKey(), request.trafficPolicy(), request.selector(), request.ports());
    }

    /** Why a newcomer with these terms may not join {@code holder} (holding {@code heldTerms}) on {@code ip}. */
    Optional<String> conflictWith(Ip ip, ServiceKey holder, SharingTerms heldTerms) {
        if (heldTerms.key.isEmpty()) {
            return Optional.of(ip + " is in use by " + holder + ", which does not allow sharing (expected: a free address)");
        }
        String heldKey = heldTerms.key.get();
        if (key.isEmpty()) {
            return Optional.of(ip + " is in use by " + holder + " (expected: a free address, or allow-shared-ip key '"
                    + heldKey + "' to share it)");
        }
        if (!key.get().equals(heldKey)) {
            return Optional.of(ip + " is shared by " + holder + " under key '" + heldKey + "' (expected: key '"
                    + heldKey + "', got '" + key.get() + "')");
        }
        if (policy != heldTerms.policy) {
            return Optional.of(ip + " is shared by " + holder + " with externalTrafficPolicy " + heldTerms.policy
                    + " (expected: " + heldTerms.policy + ", got " + policy + ")");
        }
        if (policy == ExternalTrafficPolicy.LOCAL && !selector.equals(heldTerms.selector)) {
            return Optional.of(ip + " is shared by " + holder + " selecting " + LabelSelector.matchLabels(heldTerms.selector)
                    + " (expected: the same selector for externalTrafficPolicy Local, got "
                    + LabelSelector.matchLabels(selector) + ")");
        }
        for (ServicePort port : ports) {
            if (heldTerms.ports.contains(port)) {
                return Optional.of(ip + " port " + port + " is already used by " + holder
                        + " (expected: ports that do not overlap)");
            }
        }
        return Optional.empty();
    }
}
