package dev.berth.appliance.validation;

import dev.berth.appliance.crd.IPAddressPool;
import dev.berth.appliance.crd.IPAddressPoolSpec;
import dev.berth.appliance.crd.ServiceAllocation;
import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.pool.AddressRange;
import java.util.ArrayList;
import java.util.List;

/**
 * IPAddressPool: every address parses, no two ranges overlap (within a pool or across pools), selectors are
 * well formed. Every problem rejects the configuration: leaving a pool out could release addresses that
 * Services hold, and an allocated IP is never lost to a bad input.
 */
final class PoolRules implements Validator.Rules {
    private static final Effect EFFECT = Effect.REJECTS_CONFIG;

    private record Placed(ObjectRef pool, String text, AddressRange range) {
    }

    @Override
    public void check(Snapshot snapshot, Problems problems) {
        List<Placed> placed = new ArrayList<>();
        for (IPAddressPool pool : snapshot.ipAddressPools()) {
            ObjectRef ref = ObjectRef.of(Kind.IP_ADDRESS_POOL, pool);
            IPAddressPoolSpec spec = pool.getSpec();
            if (spec == null || spec.addresses().isEmpty()) {
                problems.add(ref, "spec.addresses", "empty (expected: at least one CIDR or range)", EFFECT);
                continue;
            }
            for (int i = 0; i < spec.addresses().size(); i++) {
                String text = spec.addresses().get(i);
                String field = "spec.addresses[" + i + "]";
                AddressRange range;
                try {
                    range = AddressRange.parse(text == null ? "" : text);
                } catch (IllegalArgumentException e) {
                    problems.add(ref, field, e.getMessage(), EFFECT);
                    continue;
                }
                for (Placed earlier : placed) {
                    if (earlier.range().overlaps(range)) {
                        String where = earlier.pool().equals(ref) ? "this pool's" : earlier.pool() + "'s";
                        problems.add(ref, field, "'" + text + "' overlaps " + where + " '" + earlier.text()
                                + "' (expected: every address in at most one pool)", EFFECT);
                    }
                }
                placed.add(new Placed(ref, text, range));
            }
            checkAllocation(spec.serviceAllocation(), ref, problems);
        }
    }

    private static void checkAllocation(ServiceAllocation allocation, ObjectRef ref, Problems problems) {
        if (allocation == null) {
            return;
        }
        if (allocation.priority() != null && allocation.priority() < 0) {
            problems.add(ref, "spec.serviceAllocation.priority", allocation.priority() + " (expected: >= 0, lower wins)", EFFECT);
        }
        LabelSelectors.check(allocation.namespaceSelectors(), "spec.serviceAllocation.namespaceSelectors", ref, EFFECT, problems);
        LabelSelectors.check(allocation.serviceSelectors(), "spec.serviceAllocation.serviceSelectors", ref, EFFECT, problems);
    }
}
