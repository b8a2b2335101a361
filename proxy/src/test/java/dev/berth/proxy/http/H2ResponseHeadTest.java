package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Berth's response conversion gives what Netty's {@code HttpConversionUtil.toHttp2Headers} gives, name for name. */
class H2ResponseHeadTest {

    @Test
    void aDecodedResponseConvertsAsNettyConvertsIt() {
        HttpResponse decoded = decode("HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Fri, 27 Nov 2026 23:00:00 GMT\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: 0\r\nETag: \"abc\"\r\nX-Custom-Thing: 1\r\n"
                + "content-type: text/plain\r\nkeep-alive: timeout=5\r\n\r\n");

        assertSameAsNetty(decoded);
        assertThat(pairs(H2ResponseHead.of(decoded))).startsWith(":status=200", "server=nginx")
                .contains("etag=\"abc\"", "x-custom-thing=1", "content-type=text/plain")
                .noneMatch(pair -> pair.startsWith("keep-alive"));
    }

    @Test
    void headersOfEverySpellingAndTheForbiddenOnesConvertAsNettyConvertsThem() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                CompactHttpHeaders.forHead());
        HttpHeaders headers = response.headers();
        headers.add("Set-Cookie", "a=1").add(new AsciiString("set-cookie"), "b=2").add("X-UPPER", "u")
                .add("Host", "h.example").add("Upgrade", "websocket").add("Proxy-Connection", "close")
                .add(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(), "3").add("Vary", "Accept");
        assertSameAsNetty(response);

        headers.add("Connection", "close, X-Named").add("X-Named", "gone");
        assertSameAsNetty(response); // Netty's own way: the names Connection lists go too
        assertThat(pairs(H2ResponseHead.of(response))).noneMatch(pair -> pair.startsWith("x-named"));

        HttpResponse cookies = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        cookies.headers().add("Cookie", "a=1; b=2").add("TE", "trailers");
        assertSameAsNetty(cookies);
    }

    private static void assertSameAsNetty(HttpResponse response) {
        assertThat(pairs(H2ResponseHead.of(response))).containsExactlyElementsOf(
                pairs(HttpConversionUtil.toHttp2Headers(response, false)));
    }

    private static List<String> pairs(Http2Headers headers) {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            pairs.add(header.getKey() + "=" + header.getValue());
        }
        return pairs;
    }

    private static HttpResponse decode(String head) {
        EmbeddedChannel upstream = new EmbeddedChannel(HttpDecoding.clientCodec());
        try {
            upstream.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
            for (Object written; (written = upstream.readOutbound()) != null; ) {
                ReferenceCountUtil.release(written);
            }
            upstream.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII));
            return upstream.readInbound();
        } finally {
            upstream.finishAndReleaseAll();
        }
    }
}
