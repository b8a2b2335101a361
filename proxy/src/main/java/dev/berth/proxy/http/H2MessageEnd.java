package dev.berth.proxy.http;

import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * The frames that end an HTTP/1 message on an h2 stream, a response down ({@link H2Stream}) or a request up
 * ({@link H2UpstreamStream}), by Netty's {@code Http2StreamFrameToHttpObjectCodec} rules: a DATA frame with what the
 * last content holds, ending the stream unless trailers follow (none when it holds nothing and trailers do), then the
 * trailers as a HEADERS frame that ends it. The content goes with the DATA frame, or is released here.
 *
 * @param data the DATA frame, or null
 * @param trailers the trailing HEADERS frame, or null
 */
record H2MessageEnd(Http2DataFrame data, Http2HeadersFrame trailers) {

    /** An end that carries nothing, no bytes and no trailers: a bodiless message's, or one whose body came before it. */
    static boolean isEmpty(LastHttpContent end) {
        return !end.content().isReadable() && end.trailingHeaders().isEmpty();
    }

    static H2MessageEnd of(LastHttpContent end) {
        boolean hasTrailers = !end.trailingHeaders().isEmpty();
        Http2DataFrame data = null;
        if (end.content().isReadable() || !hasTrailers) {
            data = new DefaultHttp2DataFrame(end.content(), !hasTrailers);
        } else {
            end.content().release();
        }
        Http2HeadersFrame trailers = hasTrailers
                ? new DefaultHttp2HeadersFrame(HttpConversionUtil.toHttp2Headers(end.trailingHeaders(), false), true)
                : null;
        return new H2MessageEnd(data, trailers);
    }
}
