package dev.berth.proxy.balance;

/**
 * How a Backend balances, independent of its endpoints: the per-Service setting, turned into a fresh
 * {@link Balancer} each time a config snapshot brings a new {@link EndpointSet}. Made by {@link Balancers}
 * or {@link BalancingAlgorithm#parse}.
 */
@FunctionalInterface
public interface BalancingPolicy {

    /**
     * A balancer for these endpoints. Work proportional to the endpoint count (tables, schedules) happens
     * here, off the hot path.
     *
     * @param loops the number of event loops that will call it, {@code > 0}
     */
    Balancer newBalancer(EndpointSet endpoints, int loops);
}
