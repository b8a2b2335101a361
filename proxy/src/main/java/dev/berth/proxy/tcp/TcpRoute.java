package dev.berth.proxy.tcp;

import dev.berth.proxy.balance.Balancer;
import dev.berth.proxy.balance.ConfiguredBalancer;
import dev.berth.proxy.config.TcpService;
import java.net.InetSocketAddress;

/**
 * What one listener does with a new connection under one configuration: the service, its balancer and whom to
 * believe a PROXY header from. Built per {@link TcpDataPlane#apply}, swapped whole on the listener; a connection
 * keeps the route it was accepted under, so a swap never touches it.
 *
 * @param hashesClients whether the balancer needs the client address as hash key (Maglev)
 */
record TcpRoute(TcpService service, Balancer balancer, boolean hashesClients, TrustedProxies trusted) {
    static TcpRoute of(TcpService service, int loops) {
        ConfiguredBalancer balancer = ConfiguredBalancer.of("tcp service " + service.name(), service.balance(), service.endpoints(), loops);
        return new TcpRoute(service, balancer.balancer(), balancer.hashesClients(), TrustedProxies.of(service.acceptProxyProtocolFrom()));
    }

    InetSocketAddress endpoint(int index) {
        return service.endpoints().get(index).address();
    }
}
