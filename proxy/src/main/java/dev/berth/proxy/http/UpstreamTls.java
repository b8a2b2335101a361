package dev.berth.proxy.http;

import dev.berth.proxy.route.RequestParts;
import dev.berth.proxy.tls.TlsLibrary;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS towards endpoints of backends with protocol {@code https} ({@code berth.dev/backend-protocol: https}, or the
 * port's appProtocol {@code https} / {@code kubernetes.io/wss}).
 *
 * <p><b>Verification policy: encrypt, do not verify</b>, as ingress-nginx does by default
 * ({@code proxy-ssl-verify: off}): pods mostly serve self-signed or cluster-internal certificates that no trust
 * store here could check, and the endpoint's address comes from the EndpointSlice, not from a name a certificate
 * could vouch for. So any certificate is accepted and no host name is checked; the connection is private against
 * passive listeners, not authenticated. Logged once per endpoint at debug, with what was negotiated.
 *
 * <p>ALPN offers {@code http/1.1} only (the upstream codec is HTTP/1.1). SNI carries the request's host name, the one
 * its Ingress rule matched, so an endpoint that hosts several names presents the right certificate and route;
 * IP literals are not sent, as SNI forbids them. The handshake must finish within the connect timeout. The TLS
 * library is the HTTPS listener's ({@code --tls-library}): BoringSSL where it loads, which took 1 KiB keep-alive
 * requests to a TLS backend from 0.94 to 0.99-1.00 of HAProxy's rate against the JDK's TLS (benchmarks/README.md):
 * upstream connections are pooled, so what counts is the cost of each record, not of the handshakes.
 */
final class UpstreamTls {
    private static final Logger log = LoggerFactory.getLogger(UpstreamTls.class);
    /** Bounds the endpoints remembered for the once-per-endpoint log line; forgetting only repeats a debug line. */
    private static final int MAX_LOGGED_ENDPOINTS = 4096;

    private final SslContext context;
    private final String libraryName;
    private final long handshakeTimeoutMillis;
    private final Set<InetSocketAddress> logged = ConcurrentHashMap.newKeySet();

    UpstreamTls(Duration handshakeTimeout, TlsLibrary library) {
        SslProvider provider = library.provider();
        this.libraryName = provider == SslProvider.OPENSSL ? OpenSsl.versionString() : "the JDK's TLS";
        try {
            this.context = SslContextBuilder.forClient()
                    .sslProvider(provider)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null) // Netty 4.2 checks host names by default; see the policy above
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("upstream TLS: cannot make a client TLS context: " + e.getMessage(), e);
        }
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
    }

    /** The first handler of a new TLS connection to {@code key}; the handshake starts when the TCP connection is up. */
    SslHandler newHandler(ByteBufAllocator alloc, UpstreamKey key) {
        SslHandler handler = key.serverName().isEmpty()
                ? context.newHandler(alloc)
                : context.newHandler(alloc, key.serverName(), key.endpoint().getPort());
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }

    /** The handshake succeeded: say once per endpoint, at debug, that its certificate was taken unverified. */
    void handshakeDone(UpstreamKey key, SSLSession session) {
        if (!log.isDebugEnabled()) {
            return;
        }
        if (logged.size() >= MAX_LOGGED_ENDPOINTS) {
            logged.clear();
        }
        if (logged.add(key.endpoint())) {
            log.debug("upstream {}: {} {} by {}, certificate not verified (https backends are encrypted, not authenticated)",
                    key, session.getProtocol(), session.getCipherSuite(), libraryName);
        }
    }

    /** What went wrong in a failed handshake, in words for the 502/504 log line. */
    static String describeFailure(Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            // its message is a hex dump of whatever the endpoint sent
            return "TLS handshake failed: the endpoint answered without TLS (backend-protocol https, but it speaks plain HTTP?)";
        }
        if (cause instanceof SslHandshakeTimeoutException) {
            return "TLS handshake timed out";
        }
        return "TLS handshake failed: " + cause.getMessage();
    }

    /** The host of a Host header if SNI will carry it (a DNS name with a dot, not an IP literal), else empty. */
    static String serverName(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty() || hostHeader.charAt(0) == '[') {
            return ""; // absent, or an IPv6 literal
        }
        String host = hostHeader.substring(0, RequestParts.hostEnd(hostHeader)).toLowerCase(Locale.ROOT);
        // both TLS libraries send SNI only for names with a dot (not "localhost"); say so here, so the pool key tells the truth
        return host.indexOf('.') <= 0 || NetUtil.isValidIpV4Address(host) ? "" : host;
    }
}
