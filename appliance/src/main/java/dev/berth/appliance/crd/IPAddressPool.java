package dev.berth.appliance.crd;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A pool of addresses that LoadBalancer Services are given IPs from (MetalLB's IPAddressPool). */
@Group(IPAddressPool.GROUP)
@Version(IPAddressPool.VERSION)
@Plural("ipaddresspools")
@ShortNames("ippool")
public final class IPAddressPool extends CustomResource<IPAddressPoolSpec, Void> implements Namespaced {
    public static final String GROUP = "berth.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
}
