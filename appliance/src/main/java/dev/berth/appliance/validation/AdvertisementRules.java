package dev.berth.appliance.validation;

import dev.berth.appliance.crd.L2Advertisement;
import dev.berth.appliance.crd.L2AdvertisementSpec;
import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import java.util.List;
import java.util.regex.Pattern;

/**
 * L2Advertisement: named pools exist in the advertisement's namespace, selectors and interface names are well
 * formed. Problems reject the configuration, as for pools: what is announced must be all or nothing.
 */
final class AdvertisementRules implements Validator.Rules {
    private static final Effect EFFECT = Effect.REJECTS_CONFIG;
    /** Linux IFNAMSIZ is 16 including the terminating zero; no slash, no whitespace. */
    private static final Pattern INTERFACE_NAME = Pattern.compile("[^/\\s]{1,15}");

    @Override
    public void check(Snapshot snapshot, Problems problems) {
        for (L2Advertisement advertisement : snapshot.l2Advertisements()) {
            ObjectRef ref = ObjectRef.of(Kind.L2_ADVERTISEMENT, advertisement);
            L2AdvertisementSpec spec = advertisement.getSpec();
            if (spec == null) {
                continue;
            }
            List<String> pools = spec.ipAddressPools();
            for (int i = 0; i < pools.size(); i++) {
                ObjectRef pool = new ObjectRef(Kind.IP_ADDRESS_POOL, ref.namespace(), String.valueOf(pools.get(i)));
                if (snapshot.find(pool).isEmpty()) {
                    problems.add(ref, "spec.ipAddressPools[" + i + "]", "no " + pool
                            + " (expected: the name of a pool in namespace '" + ref.namespace() + "')", EFFECT);
                }
            }
            LabelSelectors.check(spec.ipAddressPoolSelectors(), "spec.ipAddressPoolSelectors", ref, EFFECT, problems);
            LabelSelectors.check(spec.nodeSelectors(), "spec.nodeSelectors", ref, EFFECT, problems);
            for (int i = 0; i < spec.interfaces().size(); i++) {
                String name = spec.interfaces().get(i);
                if (name == null || !INTERFACE_NAME.matcher(name).matches()) {
                    problems.add(ref, "spec.interfaces[" + i + "]", "'" + name
                            + "' (expected: a Linux interface name, 1 to 15 characters, no '/' or spaces)", EFFECT);
                }
            }
        }
    }
}
