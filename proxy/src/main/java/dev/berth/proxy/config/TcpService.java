package dev.berth.proxy.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One port of a LoadBalancer Service served as raw TCP (annotation {@code berth.dev/proxy: tcp}): where to
 * listen, where to forward, and what the PROXY protocol says on either side.
 *
 * @param name unique within a config: {@code namespace/service:port}
 * @param listen the address the listener binds, an IP literal; port 0 takes any free port (tests)
 * @param balance the balancing algorithm's name ({@code round-robin}, {@code maglev}, …); maglev hashes the client address
 * @param endpoints the endpoints that may take new connections
 * @param sendProxyProtocol the header sent to the endpoint first on every upstream connection
 * @param acceptProxyProtocolFrom CIDRs whose connections must start with a PROXY v1 or v2 header, which then names
 *     the client; empty means no client is believed
 */
public record TcpService(String name, InetSocketAddress listen, String balance, List<Endpoint> endpoints,
        ProxyProtocol sendProxyProtocol, List<String> acceptProxyProtocolFrom) {

    public TcpService {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listen, "listen");
        if (listen.isUnresolved()) {
            throw new IllegalArgumentException("listen: " + listen + " (expected: an IP address, not a name)");
        }
        Objects.requireNonNull(balance, "balance");
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(sendProxyProtocol, "sendProxyProtocol");
        acceptProxyProtocolFrom = List.copyOf(acceptProxyProtocolFrom);
        for (String cidr : acceptProxyProtocolFrom) {
            checkCidr(cidr);
        }
    }

    /** A service that neither sends nor accepts PROXY headers. */
    public static TcpService plain(String name, InetSocketAddress listen, String balance, List<Endpoint> endpoints) {
        return new TcpService(name, listen, balance, endpoints, ProxyProtocol.NONE, List.of());
    }

    private static void checkCidr(String cidr) {
        int slash = cidr.indexOf('/');
        String expected = " (expected: a CIDR of an IP literal such as 192.0.2.0/24 or 2001:db8::/32)";
        if (slash < 0) {
            throw new IllegalArgumentException("acceptProxyProtocolFrom: '" + cidr + "'" + expected);
        }
        int bits;
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(cidr.substring(0, slash));
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("acceptProxyProtocolFrom: '" + cidr + "'" + expected, e);
        }
        int max = address.getAddress().length * 8;
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("acceptProxyProtocolFrom: '" + cidr + "' (expected: a prefix length 0-" + max + ")");
        }
    }
}
