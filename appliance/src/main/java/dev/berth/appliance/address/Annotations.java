package dev.berth.appliance.address;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Berth's Service annotations, read under Berth's own prefix and, for a MetalLB user's migration, under both of
 * MetalLB's: {@code berth.dev/}, {@code metallb.io/}, {@code metallb.universe.tf/} (first found wins, in that order).
 */
final class Annotations {
    static final String LOAD_BALANCER_IPS = "loadBalancerIPs";
    static final String ADDRESS_POOL = "address-pool";
    static final String ALLOW_SHARED_IP = "allow-shared-ip";
    /** Where the allocator records which pool an address came from, on the Service in a cluster. */
    static final String POOL_RECORD = "allocated-from-pool";
    static final String ALLOCATED_FROM_POOL = "berth.dev/" + POOL_RECORD;
    private static final List<String> PREFIXES = List.of("berth.dev/", "metallb.io/", "metallb.universe.tf/");

    private Annotations() {
    }

    /** The annotation's value and its full key, so that problems name the key the user actually wrote. */
    record Found(String key, String value) {
    }

    static Optional<Found> find(HasMetadata object, String name) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        if (annotations == null) {
            return Optional.empty();
        }
        for (String prefix : PREFIXES) {
            String value = annotations.get(prefix + name);
            if (value != null) {
                return Optional.of(new Found(prefix + name, value));
            }
        }
        return Optional.empty();
    }
}
