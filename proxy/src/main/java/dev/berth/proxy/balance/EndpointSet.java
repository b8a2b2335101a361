package dev.berth.proxy.balance;

import java.util.List;
import java.util.Objects;

/**
 * The endpoints of one Backend in one config snapshot, with their live health. Built once per snapshot by
 * the control plane; a {@link Balancer} is made for it and answers with indexes into {@link #endpoints()}.
 *
 * @param endpoints the endpoints, in a fixed order (balancers answer with indexes into this list)
 * @param health the health view, one entry per endpoint, same order
 */
public record EndpointSet(List<Endpoint> endpoints, EndpointHealth health) {

    public EndpointSet {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(health, "health");
        if (health.size() != endpoints.size()) {
            throw new IllegalArgumentException("health: size " + health.size() + " (expected: "
                    + endpoints.size() + ", one per endpoint)");
        }
    }

    /** A set in which every endpoint starts healthy and settled. */
    public static EndpointSet of(List<Endpoint> endpoints) {
        return new EndpointSet(endpoints, EndpointHealth.allHealthy(endpoints.size()));
    }

    /** The number of endpoints, healthy or not. */
    public int size() {
        return endpoints.size();
    }

    /** The endpoint a balancer picked. */
    public Endpoint get(int index) {
        return endpoints.get(index);
    }

    /** The weights in list order, for balancers that copy them into a flat array. */
    int[] weights() {
        int[] weights = new int[endpoints.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = endpoints.get(i).weight();
        }
        return weights;
    }
}
