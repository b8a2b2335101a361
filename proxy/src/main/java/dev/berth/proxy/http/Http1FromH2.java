package dev.berth.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * An h2 HEADERS frame as the HTTP/1 message the exchange logic speaks: what Netty's {@code HttpConversionUtil}
 * makes ({@code toHttpRequest}, {@code toFullHttpResponse}…, whose header translation this uses), but holding
 * {@link CompactHttpHeaders} as the HTTP/1.1 decoders' messages do. A message that is whole (its HEADERS end the stream)
 * comes as a full message with an empty body. What cannot be converted throws, for the caller to reset the stream.
 */
final class Http1FromH2 {
    private Http1FromH2() {
    }

    /** The request a stream's first HEADERS open; a missing {@code :method}, or {@code :path} (or CONNECT's {@code :authority}), throws. */
    static HttpRequest request(int streamId, Http2Headers headers, boolean whole) throws Http2Exception {
        HttpMethod method = HttpMethod.valueOf(headers.method().toString());
        String target = (method == HttpMethod.CONNECT ? headers.authority() : headers.path()).toString();
        // room at once for what the translation adds (a header per field, the stream id) and the forwarding headers
        CompactHttpHeaders fields = CompactHttpHeaders.forHead(headers.size() + 1 + ForwardedHeaders.ADDED);
        HttpRequest request = whole
                ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target, Unpooled.EMPTY_BUFFER,
                        fields, CompactHttpHeaders.forTrailers())
                : new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, target, fields);
        HttpConversionUtil.addHttp2ToHttpHeaders(streamId, headers, request.headers(), HttpVersion.HTTP_1_1, false, true);
        return request;
    }

    /** A response head (an interim 1xx is whole); a missing or malformed {@code :status} throws. */
    static HttpMessage response(int streamId, Http2Headers headers, boolean whole) throws Http2Exception {
        HttpResponseStatus status = HttpConversionUtil.parseStatus(headers.status());
        CompactHttpHeaders fields = CompactHttpHeaders.forHead(headers.size() + 1); // a header per field, the stream id
        HttpMessage response = whole
                ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER,
                        fields, CompactHttpHeaders.forTrailers())
                : new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, fields);
        HttpConversionUtil.addHttp2ToHttpHeaders(streamId, headers, response.headers(), HttpVersion.HTTP_1_1, false, false);
        return response;
    }

    /** A DATA frame's bytes as a message's content; the frame that ends the stream ends the message, without trailers. */
    static HttpContent content(Http2DataFrame data) {
        return data.isEndStream() ? new DefaultLastHttpContent(data.content(), CompactHttpHeaders.forTrailers())
                : new DefaultHttpContent(data.content());
    }

    /** The trailers a message's last HEADERS carry, as its end. */
    static LastHttpContent trailers(int streamId, Http2Headers headers, boolean ofRequest) throws Http2Exception {
        LastHttpContent end = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, CompactHttpHeaders.forTrailers());
        HttpConversionUtil.addHttp2ToHttpHeaders(streamId, headers, end.trailingHeaders(), HttpVersion.HTTP_1_1, true, ofRequest);
        return end;
    }
}
