package dev.berth.proxy.http;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a pooled upstream connection is good for: the endpoint, whether it speaks TLS, and the server name it sent
 * (SNI). Idle connections are pooled under this key, so a TLS connection never carries a plain request, a plain one
 * never a TLS request, and a connection opened for one host name never serves another (a virtual-hosting endpoint
 * may have chosen its certificate, or its route, by that name).
 *
 * @param serverName the SNI host name sent, empty when none was (plain connections, IP literals, no Host)
 */
record UpstreamKey(InetSocketAddress endpoint, boolean tls, String serverName) {

    UpstreamKey {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(serverName, "serverName");
    }

    static UpstreamKey plain(InetSocketAddress endpoint) {
        return new UpstreamKey(endpoint, false, "");
    }

    /** A TLS connection announcing the request's host name, if it is one SNI can carry. */
    static UpstreamKey tls(InetSocketAddress endpoint, String hostHeader) {
        return new UpstreamKey(endpoint, true, UpstreamTls.serverName(hostHeader));
    }

    @Override
    public String toString() {
        String address = endpoint.getAddress().getHostAddress() + ":" + endpoint.getPort();
        return !tls ? address : serverName.isEmpty() ? "tls://" + address : "tls://" + address + " (SNI " + serverName + ")";
    }
}
