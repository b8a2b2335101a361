package dev.berth.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * WebSocket over HTTP/2 (RFC 8441) downstream, HTTP/1.1 WebSocket upstream. The h2 client opens a stream with an
 * extended CONNECT ({@code :method CONNECT}, {@code :protocol websocket}, allowed because Berth's SETTINGS carry
 * {@code ENABLE_CONNECT_PROTOCOL}); Netty's h2 → HTTP/1 conversion keeps {@code :protocol} and {@code :path} as
 * {@code x-http2-protocol} and {@code x-http2-path}. Upstream that becomes the HTTP/1.1 handshake (GET, {@code Upgrade: websocket}, a fresh
 * {@code Sec-WebSocket-Key}), and the upstream's {@code 101} goes down as the {@code 200} RFC 8441 asks for. Then
 * the stream's DATA frames and the upstream connection's bytes are one tunnel ({@link H2WebSocketTunnel}).
 * Sec-WebSocket-Version, -Protocol and -Extensions pass through both ways; the key and accept are per hop.
 */
final class ExtendedConnect {
    private static final AsciiString PROTOCOL = HttpConversionUtil.ExtensionHeaderNames.PROTOCOL.text();
    private static final AsciiString PATH = HttpConversionUtil.ExtensionHeaderNames.PATH.text();

    private ExtendedConnect() {
    }

    /** An extended CONNECT for the WebSocket protocol, as an h2 stream delivers it. */
    static boolean isWebSocket(HttpRequest request) {
        return request.method().equals(HttpMethod.CONNECT)
                && HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(request.headers().get(PROTOCOL));
    }

    /** The HTTP/1.1 opening handshake for the same resource; it has no body, the tunnel follows the 101. */
    static FullHttpRequest toUpgradeRequest(HttpRequest request) {
        HttpHeaders headers = request.headers().copy();
        headers.remove(PROTOCOL);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        headers.set(HttpHeaderNames.SEC_WEBSOCKET_KEY, Base64.getEncoder().encodeToString(key));
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        String path = headers.get(PATH); // a CONNECT's request-target is its authority; the resource is :path
        headers.remove(PATH);
        FullHttpRequest upgrade = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path == null ? "/" : path,
                Unpooled.EMPTY_BUFFER);
        upgrade.headers().set(headers);
        return upgrade;
    }

    /** The upstream's 101 as the h2 answer: 200, without the headers that belong to the HTTP/1.1 upgrade. */
    static void toStreamResponse(HttpResponse switching) {
        switching.setStatus(HttpResponseStatus.OK);
        switching.headers()
                .remove(HttpHeaderNames.UPGRADE)
                .remove(HttpHeaderNames.CONNECTION)
                .remove(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
    }
}
