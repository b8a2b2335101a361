package dev.berth.proxy.tcp;

import dev.berth.proxy.config.ProxyProtocol;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Translation between socket addresses and PROXY protocol headers: the header sent to an endpoint, and the
 * addresses a trusted peer's header names.
 */
final class ProxyHeaders {

    private ProxyHeaders() {
    }

    /**
     * The header that tells an endpoint who connected to whom. A header carries one address family, so when the
     * two differ the IPv4 one is written as IPv4-mapped IPv6 ({@code ::ffff:192.0.2.1}).
     */
    static HAProxyMessage header(ProxyProtocol version, InetSocketAddress client, InetSocketAddress destination) {
        HAProxyProtocolVersion wire = switch (version) {
            case V1 -> HAProxyProtocolVersion.V1;
            case V2 -> HAProxyProtocolVersion.V2;
            case NONE -> throw new IllegalArgumentException("version: NONE (expected: V1 or V2)");
        };
        boolean ipv4 = client.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
        return new HAProxyMessage(wire, HAProxyCommand.PROXY, ipv4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                literal(client.getAddress(), ipv4), literal(destination.getAddress(), ipv4), client.getPort(), destination.getPort());
    }

    private static String literal(InetAddress address, boolean ipv4) {
        String literal = address.getHostAddress();
        return ipv4 || !(address instanceof Inet4Address) ? literal : "::ffff:" + literal;
    }

    /** The source of a received header, or {@code fallback} for LOCAL (health checks) and UNKNOWN headers. */
    static InetSocketAddress source(HAProxyMessage message, InetSocketAddress fallback) {
        if (!namesAddresses(message)) {
            return fallback;
        }
        return new InetSocketAddress(InetAddress.ofLiteral(message.sourceAddress()), message.sourcePort());
    }

    /** The destination of a received header (the address the client dialled), or {@code fallback}. */
    static InetSocketAddress destination(HAProxyMessage message, InetSocketAddress fallback) {
        if (!namesAddresses(message)) {
            return fallback;
        }
        return new InetSocketAddress(InetAddress.ofLiteral(message.destinationAddress()), message.destinationPort());
    }

    private static boolean namesAddresses(HAProxyMessage message) {
        return message.command() == HAProxyCommand.PROXY
                && (message.proxiedProtocol() == HAProxyProxiedProtocol.TCP4 || message.proxiedProtocol() == HAProxyProxiedProtocol.TCP6);
    }
}
