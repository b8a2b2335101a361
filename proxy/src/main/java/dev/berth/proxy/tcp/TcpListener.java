package dev.berth.proxy.tcp;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One bound TCP listener and the route its new connections take. {@link TcpDataPlane#apply} swaps the route
 * (new endpoints, new balancer) while the socket stays bound, so clients never see a refused connection across
 * a configuration change.
 */
final class TcpListener {
    private volatile TcpRoute route;
    private Channel channel;

    TcpListener(TcpRoute route) {
        this.route = route;
    }

    TcpRoute route() {
        return route;
    }

    void swap(TcpRoute next) {
        route = next;
    }

    void bound(Channel serverChannel) {
        this.channel = serverChannel;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops accepting; connections already accepted are children of their own and carry on. */
    void close() {
        channel.close().syncUninterruptibly();
    }
}
