package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * The HTTP/1.1 codecs of Berth's connections, downstream and upstream: Netty's decoders and encoders with their
 * default limits, one decoder configuration for all of them (each {@code new HttpServerCodec()} would build its own), and
 * the messages they decode holding {@link CompactHttpHeaders}, heads and trailers, in place of Netty's hash tables.
 */
final class HttpDecoding {
    /** Heads' headers, or trailers: new {@link CompactHttpHeaders} each, empty or not alike. */
    private record Compact(boolean trailers) implements HttpHeadersFactory {
        @Override
        public HttpHeaders newHeaders() {
            return trailers ? CompactHttpHeaders.forTrailers() : CompactHttpHeaders.forHead();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return newHeaders();
        }
    }

    /**
     * Never changed after this: the codecs only read it. RFC 9112's handling of a message with both Transfer-Encoding
     * and Content-Length (refused as malformed, not the Content-Length dropped) is pinned here, not left to Netty's
     * JVM-wide default ({@code io.netty.handler.codec.http.rfc9112TransferEncoding}): {@link DownstreamHttpCodec}
     * counts on it; so is strict line parsing (an LF without its CR refused), which the one-pass readers hand such
     * heads over for. Netty's decoder copies each line it reads into a scratch buffer, 128 bytes to start with, made
     * with the decoder; it reads only the heads that are not common here, so the buffer starts small and grows on the
     * first such line instead of costing every connection 128 bytes.
     */
    private static final HttpDecoderConfig CONFIG = new HttpDecoderConfig()
            .setHeadersFactory(new Compact(false)).setTrailersFactory(new Compact(true)).setUseRfc9112TransferEncoding(true)
            .setStrictLineParsing(true).setInitialBufferSize(8);

    private HttpDecoding() {
    }

    /** The decoders' configuration, for tests that compare Berth's codecs with Netty's on the same settings. */
    static HttpDecoderConfig config() {
        return CONFIG;
    }

    /** The codec of a downstream HTTP/1.1 connection, cleartext or TLS. */
    static DownstreamHttpCodec serverCodec() {
        return new DownstreamHttpCodec(CONFIG);
    }

    /** The codec of an upstream HTTP/1.1 connection. */
    static UpstreamHttpCodec clientCodec() {
        return new UpstreamHttpCodec(CONFIG);
    }
}
