package dev.berth.proxy.http;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The HTTP/1.1 codecs of Berth's connections, downstream and upstream: Netty's defaults (limits, validation), with one
 * decoder configuration for all of them (each {@code new HttpServerCodec()} builds its own) and trailers kept small.
 * The decoder gives every message with a fixed-length body an end that carries a table for trailers, empty but for
 * a chunked message that has some; Netty sizes that table for 16 headers, here for 2 (it still takes any number).
 */
final class HttpDecoding {
    private static final HttpHeadersFactory SMALL_TRAILERS = new HttpHeadersFactory() {
        private final DefaultHttpHeadersFactory trailers = DefaultHttpHeadersFactory.trailersFactory();

        @Override
        public HttpHeaders newHeaders() {
            return trailers.newEmptyHeaders(); // validating as Netty's trailers do, with the smaller table
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return trailers.newEmptyHeaders();
        }
    };
    /** Never changed after this: the codecs only read it. */
    private static final HttpDecoderConfig CONFIG = new HttpDecoderConfig().setTrailersFactory(SMALL_TRAILERS);

    private HttpDecoding() {
    }

    /** The codec of a downstream HTTP/1.1 connection, cleartext or TLS. */
    static HttpServerCodec serverCodec() {
        return new HttpServerCodec(CONFIG);
    }

    /** The codec of an upstream HTTP/1.1 connection. */
    static HttpClientCodec clientCodec() {
        return new HttpClientCodec(CONFIG, HttpClientCodec.DEFAULT_PARSE_HTTP_AFTER_CONNECT_REQUEST,
                HttpClientCodec.DEFAULT_FAIL_ON_MISSING_RESPONSE);
    }
}
