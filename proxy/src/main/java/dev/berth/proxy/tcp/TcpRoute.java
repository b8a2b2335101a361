package dev.berth.proxy.tcp;

import dev.berth.proxy.balance.Balancer;
import dev.berth.proxy.balance.BalancingAlgorithm;
import dev.berth.proxy.balance.Balancers;
import dev.berth.proxy.balance.Endpoint;
import dev.berth.proxy.balance.EndpointSet;
import dev.berth.proxy.balance.Ticker;
import dev.berth.proxy.config.TcpService;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one listener does with a new connection under one configuration: the service, its balancer and whom to
 * believe a PROXY header from. Built per {@link TcpDataPlane#apply}, swapped whole on the listener; a connection
 * keeps the route it was accepted under, so a swap never touches it.
 *
 * @param hashesClients whether the balancer needs the client address as hash key (Maglev)
 */
record TcpRoute(TcpService service, Balancer balancer, boolean hashesClients, TrustedProxies trusted) {
    private static final Logger log = LoggerFactory.getLogger(TcpRoute.class);

    static TcpRoute of(TcpService service, int loops) {
        BalancingAlgorithm algorithm = algorithmOf(service);
        var endpoints = service.endpoints().stream()
                .map(endpoint -> new Endpoint(endpoint.address().getAddress(), endpoint.address().getPort(), endpoint.weight()))
                .toList();
        Balancer balancer = Balancers.of(algorithm, Ticker.system()).newBalancer(EndpointSet.of(endpoints), loops);
        return new TcpRoute(service, balancer, algorithm == BalancingAlgorithm.MAGLEV, TrustedProxies.of(service.acceptProxyProtocolFrom()));
    }

    private static BalancingAlgorithm algorithmOf(TcpService service) {
        try {
            return BalancingAlgorithm.parse(service.balance());
        } catch (IllegalArgumentException e) {
            log.warn("tcp service {}: {}; balancing round-robin", service.name(), e.getMessage());
            return BalancingAlgorithm.ROUND_ROBIN;
        }
    }

    InetSocketAddress endpoint(int index) {
        return service.endpoints().get(index).address();
    }
}
