package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;

/**
 * A response head as the headers of an h2 HEADERS frame: what Netty's {@code HttpConversionUtil.toHttp2Headers} makes
 * of it (the status, then every header lowercased but those h2 forbids), without the work that function does for
 * every message and a proxied response does not need: a map of the names its Connection header lists (built even
 * when it has none), a hashed look-up of each name among the forbidden ones, a lowercased copy of each name. Here the
 * names {@link UpstreamHttpCodec} reads as constants have lowercase constants, and the forbidden names are compared by
 * length first. A response with Connection, TE or Cookie headers, which that function treats specially (and which
 * {@link HopByHopHeaders} has usually removed), goes to it.
 */
final class H2ResponseHead {
    /** What h2 does not carry (RFC 9113 §8.2.2) and Netty's conversion bookkeeping, lowercase. */
    private static final AsciiString[] FORBIDDEN = {
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.HOST, HttpHeaderNames.UPGRADE,
            HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(), HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
            HttpConversionUtil.ExtensionHeaderNames.PATH.text(), HttpConversionUtil.ExtensionHeaderNames.PROTOCOL.text()};

    private H2ResponseHead() {
    }

    static Http2Headers of(HttpResponse response) {
        HttpHeaders in = response.headers();
        if (in.contains(HttpHeaderNames.CONNECTION) || in.contains(HttpHeaderNames.TE) || in.contains(HttpHeaderNames.COOKIE)) {
            return HttpConversionUtil.toHttp2Headers(response, false);
        }
        Http2Headers out = new DefaultHttp2Headers(false, in.size() + 1);
        out.status(response.status().codeAsText());
        for (Iterator<Map.Entry<CharSequence, CharSequence>> entries = in.iteratorCharSequence(); entries.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> entry = entries.next();
            AsciiString name = UpstreamHttpCodec.ResponseWords.NAMES.lowercase(entry.getKey());
            if (HopByHopHeaders.indexIn(FORBIDDEN, name) < 0) {
                out.add(name, entry.getValue());
            }
        }
        return out;
    }
}
