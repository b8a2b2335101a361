package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Tells the upstream who asked: X-Forwarded-For/-Proto/-Host/-Port and RFC 7239 {@code Forwarded}. Headers a
 * client sent are kept (and appended to) only when the client is a trusted proxy, so nobody else can forge the
 * client address a backend sees.
 */
final class ForwardedHeaders {
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");

    private final IpSubnetFilterRule[] trusted; // walked for every request: an array, no iterator

    ForwardedHeaders(List<String> trustedCidrs) {
        this.trusted = trustedCidrs.stream().map(ForwardedHeaders::rule).toArray(IpSubnetFilterRule[]::new);
    }

    private static IpSubnetFilterRule rule(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("trusted proxy '" + cidr + "' (expected: a CIDR such as 192.0.2.0/24)");
        }
        return new IpSubnetFilterRule(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)), IpFilterRuleType.ACCEPT);
    }

    private boolean trusts(InetSocketAddress peer) {
        for (IpSubnetFilterRule rule : trusted) {
            if (rule.matches(peer)) {
                return true;
            }
        }
        return false;
    }

    /** Headers {@link #apply} adds at most: X-Forwarded-For, -Proto, -Host and -Port, and Forwarded. */
    static final int ADDED = 5;

    /**
     * @param peer the downstream client's address
     * @param scheme {@code http} or {@code https}, as the client spoke to us
     * @param host the Host the client asked for, or null
     * @param port the port the client connected to
     */
    void apply(HttpHeaders headers, InetSocketAddress peer, String scheme, String host, int port) {
        LastClient client = LAST_CLIENT.get().of(peer, port);
        if (trusts(peer)) {
            String prior = headers.get(X_FORWARDED_FOR);
            headers.set(X_FORWARDED_FOR, prior == null ? client.address : prior + ", " + client.address);
            setIfAbsent(headers, X_FORWARDED_PROTO, scheme);
            setIfAbsent(headers, X_FORWARDED_HOST, host);
            setIfAbsent(headers, X_FORWARDED_PORT, client.portText);
        } else {
            headers.remove(FORWARDED);
            headers.set(X_FORWARDED_FOR, client.address);
            headers.set(X_FORWARDED_PROTO, scheme);
            setOrRemove(headers, X_FORWARDED_HOST, host);
            headers.set(X_FORWARDED_PORT, client.portText);
        }
        CharSequence element = client.forwardedElement(scheme, host);
        String prior = headers.get(FORWARDED);
        headers.set(FORWARDED, prior == null ? element : prior + ", " + element);
    }

    /**
     * The header values of the last client an event loop forwarded for, so that the requests of a keep-alive
     * connection (or of one h2 connection's streams), and the next connections from the same address, reuse them
     * instead of formatting the same text each time. A channel's remote address is one object for the channel's
     * life, so identity tells the same connection at once; a new connection compares the IP.
     */
    private static final class LastClient {
        private InetSocketAddress peer;
        private AsciiString address;
        private String forValue;
        private int port = -1;
        private AsciiString portText;
        private String scheme;
        private String host;
        private AsciiString element;

        LastClient of(InetSocketAddress peer, int port) {
            if (this.peer != peer && (this.peer == null || !this.peer.getAddress().equals(peer.getAddress()))) {
                this.peer = peer;
                address = new AsciiString(peer.getAddress().getHostAddress());
                forValue = forValue(peer);
                element = null;
            }
            if (this.port != port) {
                this.port = port;
                portText = new AsciiString(Integer.toString(port));
            }
            return this;
        }

        /** {@code for=…;proto=…;host="…"}, rebuilt only when the scheme or the Host differs from the last request's. */
        AsciiString forwardedElement(String scheme, String host) {
            if (element == null || !scheme.equals(this.scheme) || !Objects.equals(host, this.host)) {
                this.scheme = scheme;
                this.host = host;
                element = new AsciiString("for=" + forValue + ";proto=" + scheme + (host == null ? "" : ";host=\"" + host + "\""));
            }
            return element;
        }
    }

    private static final FastThreadLocal<LastClient> LAST_CLIENT = new FastThreadLocal<>() {
        @Override
        protected LastClient initialValue() {
            return new LastClient();
        }
    };

    /** RFC 7239 §6: IPv6 addresses are bracketed and quoted. */
    private static String forValue(InetSocketAddress peer) {
        String address = peer.getAddress().getHostAddress();
        return peer.getAddress() instanceof Inet6Address ? "\"[" + address + "]\"" : address;
    }

    private static void setIfAbsent(HttpHeaders headers, CharSequence name, CharSequence value) {
        if (value != null && !headers.contains(name)) {
            headers.set(name, value);
        }
    }

    private static void setOrRemove(HttpHeaders headers, CharSequence name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.set(name, value);
        }
    }
}
