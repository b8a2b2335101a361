package dev.berth.l2.allocator;

import java.util.Objects;

/**
 * One port a Service exposes on its LoadBalancer address. Services that share an address must not
 * overlap in protocol + port, which is the only reason the allocator knows about ports.
 */
public record ServicePort(Protocol protocol, int port) {

    /** The Kubernetes Service port protocols. */
    public enum Protocol { TCP, UDP, SCTP }

    public ServicePort {
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
    }

    public static ServicePort tcp(int port) {
        return new ServicePort(Protocol.TCP, port);
    }

    public static ServicePort udp(int port) {
        return new ServicePort(Protocol.UDP, port);
    }

    @Override
    public String toString() {
        return protocol + "/" + port;
    }
}
