package dev.berth.proxy.balance;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One upstream endpoint of a Backend, as balancing sees it: where to connect and how much traffic it should
 * take relative to its siblings. Health is not part of the record because it changes far more often than
 * the endpoint list; it lives in {@link EndpointHealth}.
 *
 * @param address the endpoint's IP address (a literal; balancing never resolves names)
 * @param port the TCP port, 1 to 65535
 * @param weight the relative share of traffic, {@code > 0}; weights 2 and 1 mean twice as many requests
 */
public record Endpoint(InetAddress address, int port, int weight) {

    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        if (weight <= 0) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: > 0)");
        }
    }

    /** An endpoint of weight 1 at an IP literal such as {@code "192.0.2.10"} or {@code "2001:db8::1"}. */
    public static Endpoint of(String ipLiteral, int port) {
        return of(ipLiteral, port, 1);
    }

    /** An endpoint at an IP literal; never does a DNS lookup, so a host name is refused. */
    public static Endpoint of(String ipLiteral, int port, int weight) {
        return new Endpoint(InetAddress.ofLiteral(ipLiteral), port, weight);
    }
}
