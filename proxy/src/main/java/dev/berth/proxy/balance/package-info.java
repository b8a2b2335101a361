/**
 * Balancing: which endpoint of a Backend takes the next request, decided on the event loop without locks,
 * allocation or a shared hot counter, because it runs once per request.
 *
 * <p>Flow: the control plane builds an immutable {@link dev.berth.proxy.balance.EndpointSet} per snapshot
 * and asks the Service's {@link dev.berth.proxy.balance.BalancingPolicy} (parsed from
 * {@code berth.dev/balance} by {@link dev.berth.proxy.balance.BalancingAlgorithm#parse}) for a
 * {@link dev.berth.proxy.balance.Balancer}; health checks flip {@link dev.berth.proxy.balance.EndpointHealth}
 * without rebuilding anything; the relay calls {@code pick}, {@code onStart} and {@code onFinish}.
 */
package dev.berth.proxy.balance;
