package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own answers: a status line and a one-line body; the details go to the log, not to the client. And the
 * redirect to HTTPS.
 */
final class ErrorResponses {
    private ErrorResponses() {
    }

    /** {@code 308 Permanent Redirect} to {@code location}, as ingress-nginx answers for hosts with TLS. */
    static FullHttpResponse redirect(ByteBufAllocator allocator, String location, boolean keepAlive) {
        FullHttpResponse response = of(allocator, HttpResponseStatus.PERMANENT_REDIRECT, keepAlive);
        response.headers().set(HttpHeaderNames.LOCATION, location);
        return response;
    }

    static FullHttpResponse of(ByteBufAllocator allocator, HttpResponseStatus status, boolean keepAlive) {
        byte[] text = (status.code() + " " + status.reasonPhrase() + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuf body = allocator.buffer(text.length).writeBytes(text);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}
