package dev.berth.proxy.http;

/**
 * Names of the handlers in Berth's pipelines, in pipeline order.
 * Downstream HTTPS: {@link #TLS} (the SNI handler, which gives its place to Netty's TLS handler) → {@link #ALPN} until the
 * handshake is done, then the HTTP/1.1 or h2 handlers below. Downstream HTTP/1.1: {@link #HTTP_CODEC} → {@link #FRONTEND} ({@link #H2C_UPGRADE} between them while a request
 * offers {@code Upgrade: h2c}). Downstream h2: {@link #FLUSH_CONSOLIDATION} → {@link #H2C} → {@link H2Frontend}, whose
 * streams have no pipelines. Upstream h2c: the h2 codec → {@link H2Backend}, whose streams have no pipelines either.
 * Upstream: ({@link #TLS} for https backends) → {@link #HTTP_CODEC} → {@link #BACKEND}. A tunnel
 * (WebSocket) replaces the codec and the handler with {@link #RELAY} on both sides (from an h2 stream, on the upstream
 * side only); upstream TLS stays.
 */
final class HandlerNames {
    static final String TLS = "tls";
    static final String ALPN = "alpn";
    static final String H2C = "h2c";
    static final String H2C_UPGRADE = "h2c-upgrade";
    static final String FLUSH_CONSOLIDATION = "flush-consolidation";
    static final String HTTP_CODEC = "http-codec";
    static final String FRONTEND = "frontend";
    static final String BACKEND = "backend";
    static final String RELAY = "relay";

    private HandlerNames() {
    }
}
