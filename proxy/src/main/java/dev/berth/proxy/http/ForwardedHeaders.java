package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.AsciiString;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;

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

    private final List<IpSubnetFilterRule> trusted;

    ForwardedHeaders(List<String> trustedCidrs) {
        this.trusted = trustedCidrs.stream().map(ForwardedHeaders::rule).toList();
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

    /**
     * @param peer the downstream client's address
     * @param scheme {@code http} or {@code https}, as the client spoke to us
     * @param host the Host the client asked for, or null
     * @param port the port the client connected to
     */
    void apply(HttpHeaders headers, InetSocketAddress peer, String scheme, String host, int port) {
        String client = peer.getAddress().getHostAddress();
        if (trusts(peer)) {
            String prior = headers.get(X_FORWARDED_FOR);
            headers.set(X_FORWARDED_FOR, prior == null ? client : prior + ", " + client);
            setIfAbsent(headers, X_FORWARDED_PROTO, scheme);
            setIfAbsent(headers, X_FORWARDED_HOST, host);
            setIfAbsent(headers, X_FORWARDED_PORT, Integer.toString(port));
        } else {
            headers.remove(FORWARDED);
            headers.set(X_FORWARDED_FOR, client);
            headers.set(X_FORWARDED_PROTO, scheme);
            setOrRemove(headers, X_FORWARDED_HOST, host);
            headers.set(X_FORWARDED_PORT, Integer.toString(port));
        }
        String element = "for=" + forValue(peer) + ";proto=" + scheme + (host == null ? "" : ";host=\"" + host + "\"");
        String prior = headers.get(FORWARDED);
        headers.set(FORWARDED, prior == null ? element : prior + ", " + element);
    }

    /** RFC 7239 §6: IPv6 addresses are bracketed and quoted. */
    private static String forValue(InetSocketAddress peer) {
        String address = peer.getAddress().getHostAddress();
        return peer.getAddress() instanceof Inet6Address ? "\"[" + address + "]\"" : address;
    }

    private static void setIfAbsent(HttpHeaders headers, CharSequence name, String value) {
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
