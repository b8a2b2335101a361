package dev.berth.appliance.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Which pools are announced over ARP/NDP, from which nodes and on which interfaces (MetalLB's
 * L2Advertisement). No advertisement, no announcement.
 */
@Group(IPAddressPool.GROUP)
@Version(IPAddressPool.VERSION)
@Plural("l2advertisements")
public final class L2Advertisement extends CustomResource<L2AdvertisementSpec, Void> implements Namespaced {
}
