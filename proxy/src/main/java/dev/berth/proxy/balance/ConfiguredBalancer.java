package dev.berth.proxy.balance;

import dev.berth.proxy.config.Endpoint;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A balancer for one configured backend or TCP service, as both data planes build them: the algorithm named by
 * the configuration (an unknown name falls back to round robin with a log line, since validation reports it),
 * over the configured endpoints, in their order, for a number of event loops.
 *
 * @param hashesClients whether picks need the client's hash key (Maglev), so that other algorithms skip computing it
 */
public record ConfiguredBalancer(Balancer balancer, boolean hashesClients) {
    private static final Logger log = LoggerFactory.getLogger(ConfiguredBalancer.class);

    /**
     * @param owner what the balancer is for, for the log line, e.g. {@code backend shop/web:http}
     * @param balance the algorithm's name, e.g. {@code least-request}
     */
    public static ConfiguredBalancer of(String owner, String balance, List<Endpoint> endpoints, int loops) {
        BalancingAlgorithm algorithm;
        try {
            algorithm = BalancingAlgorithm.parse(balance);
        } catch (IllegalArgumentException e) {
            log.warn("{}: {}; balancing round-robin", owner, e.getMessage());
            algorithm = BalancingAlgorithm.ROUND_ROBIN;
        }
        List<dev.berth.proxy.balance.Endpoint> balanced = endpoints.stream()
                .map(endpoint -> new dev.berth.proxy.balance.Endpoint(endpoint.address().getAddress(), endpoint.address().getPort(),
                        endpoint.weight()))
                .toList();
        Balancer balancer = Balancers.of(algorithm, Ticker.system()).newBalancer(EndpointSet.of(balanced), loops);
        return new ConfiguredBalancer(balancer, algorithm == BalancingAlgorithm.MAGLEV);
    }
}
