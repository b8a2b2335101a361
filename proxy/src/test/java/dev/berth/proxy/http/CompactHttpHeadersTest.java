package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactHttpHeadersTest {

    @Test
    void encodesAsNettysEncoderDoes() {
        CompactHttpHeaders headers = CompactHttpHeaders.forHead();
        headers.add(HttpHeaderNames.HOST, "a.example");
        headers.add("X-Spelled", new AsciiString("ascii value"));
        headers.add(AsciiString.cached("Content-Length"), "12");
        headers.add("X-Empty", "");
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", headers);
        EmbeddedChannel netty = new EmbeddedChannel(new io.netty.handler.codec.http.HttpRequestEncoder());
        EmbeddedChannel berth = new EmbeddedChannel(HttpDecoding.clientCodec());

        netty.writeOutbound(request);
        berth.writeOutbound(request);

        String expected = readAll(netty);
        assertThat(expected).isEqualTo("GET / HTTP/1.1\r\nhost: a.example\r\nX-Spelled: ascii value\r\nContent-Length: 12\r\n"
                + "X-Empty: \r\n\r\n");
        assertThat(readAll(berth)).isEqualTo(expected);
    }

    private static String readAll(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            text.append(out.toString(StandardCharsets.US_ASCII));
            out.release();
        }
        return text.toString();
    }

    @Test
    void namesAreMatchedIgnoringCaseAndValuesKeepTheirOrder() {
        HttpHeaders headers = CompactHttpHeaders.forHead()
                .add("Accept", "text/html").add(HttpHeaderNames.HOST, "shop.example.com").add("accept", "*/*");

        assertThat(headers.get("ACCEPT")).isEqualTo("text/html");
        assertThat(headers.getAll(new AsciiString("accept"))).containsExactly("text/html", "*/*");
        assertThat(headers.get(HttpHeaderNames.HOST)).isEqualTo("shop.example.com");
        assertThat(headers.contains("Host")).isTrue();
        assertThat(headers.contains("Cookie")).isFalse();
        assertThat(headers.get("Cookie")).isNull();
        assertThat(headers.getAll("Cookie")).isEmpty();
        assertThat(headers.size()).isEqualTo(3);
        assertThat(headers.names()).containsExactly("Accept", "host");
        assertThat(names(headers)).containsExactly("Accept", "host", "accept");
    }

    @Test
    void setReplacesEveryHeaderOfTheNameAtTheEndAndRemoveTakesThemAll() {
        HttpHeaders headers = CompactHttpHeaders.forHead()
                .add("X-Forwarded-For", "192.0.2.1").add("Host", "a.example").add("x-forwarded-for", "192.0.2.2");

        headers.set("X-Forwarded-For", "198.51.100.7");
        assertThat(names(headers)).containsExactly("Host", "X-Forwarded-For");
        assertThat(headers.getAll("X-FORWARDED-FOR")).containsExactly("198.51.100.7");

        headers.remove("x-forwarded-for");
        headers.remove("Absent");
        assertThat(names(headers)).containsExactly("Host");

        headers.clear();
        assertThat(headers.isEmpty()).isTrue();
        headers.add("Host", "b.example");
        assertThat(headers.get("host")).isEqualTo("b.example");
    }

    @Test
    void growsPastItsFirstArrayAndCopiesApart() {
        HttpHeaders headers = CompactHttpHeaders.forHead();
        for (int i = 0; i < 40; i++) {
            headers.add("X-Header-" + i, Integer.toString(i));
        }
        HttpHeaders copy = headers.copy();
        headers.remove("X-Header-0");

        assertThat(headers.size()).isEqualTo(39);
        assertThat(copy.size()).isEqualTo(40);
        assertThat(copy.get("x-header-0")).isEqualTo("0");
        assertThat(copy.getInt("X-Header-39")).isEqualTo(39);
        assertThat(copy.getInt("X-Header-none", -1)).isEqualTo(-1);
    }

    @Test
    void containsValueFindsACommaSeparatedElementWhileContainsWantsTheWholeValue() {
        HttpHeaders headers = CompactHttpHeaders.forHead()
                .add("Connection", "keep-alive, Upgrade").add("Transfer-Encoding", "gzip ,\tchunked");

        assertThat(headers.containsValue("connection", "upgrade", true)).isTrue();
        assertThat(headers.containsValue("connection", "upgrade", false)).isFalse();
        assertThat(headers.containsValue("Connection", "close", true)).isFalse();
        assertThat(headers.containsValue("Connection", "keep", true)).isFalse();
        assertThat(HttpUtil.isTransferEncodingChunked(request(headers))).isTrue();
        assertThat(headers.contains("Connection", "upgrade", true)).isFalse();
        assertThat(headers.contains("Connection", "KEEP-ALIVE, upgrade", true)).isTrue();
        assertThat(headers.contains("Connection", "KEEP-ALIVE, upgrade", false)).isFalse();
    }

    @Test
    void namesThatAreNotTokensAndValuesWithLineBreaksAreRefusedAndChangeNothing() {
        HttpHeaders headers = CompactHttpHeaders.forHead().add("Host", "a.example");

        assertThatThrownBy(() -> headers.add("Content-Length ", "5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token");
        assertThatThrownBy(() -> headers.add("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.set("Host", "a.example\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prohibited character");
        assertThat(headers.get("Host")).isEqualTo("a.example");
        assertThat(headers.size()).isEqualTo(1);
    }

    @Test
    void trailersRefuseTheFieldsThatFrameAMessage() {
        HttpHeaders trailers = CompactHttpHeaders.forTrailers().add("Grpc-Status", "0");

        for (String framing : List.of("Content-Length", "transfer-encoding", "Trailer")) {
            assertThatThrownBy(() -> trailers.add(framing, "1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prohibited trailing header");
        }
        assertThat(CompactHttpHeaders.forHead().add("Content-Length", "1").get("content-length")).isEqualTo("1");
        assertThat(trailers.copy().add("Grpc-Message", "ok").size()).isEqualTo(2);
    }

    @Test
    void theWalkingEntryReadsRemovesAndSetsInPlace() {
        HttpHeaders headers = CompactHttpHeaders.forHead().add("A", "1").add("B", "2").add("C", "3").add("B", "4");

        for (Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence(); entries.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> entry = entries.next();
            if (entry.getKey().equals("B")) {
                entries.remove();
            } else {
                entry.setValue(entry.getValue() + "0");
            }
        }

        assertThat(names(headers)).containsExactly("A", "C");
        assertThat(headers.get("A")).isEqualTo("10");
        assertThat(headers.get("C")).isEqualTo("30");
        assertThat(headers.entries()).extracting(Map.Entry::getValue).containsExactly("10", "30");
        assertThat(headers.toString()).contains("A: 10").contains("C: 30");
    }

    /** Through the decoders Berth builds: a bad name is a bad request, trailers arrive, nothing else changes. */
    @Test
    void theDecoderRefusesSpaceBeforeTheColonAndKeepsTrailers() {
        EmbeddedChannel bad = new EmbeddedChannel(HttpDecoding.serverCodec());
        bad.writeInbound(ascii("POST /upload HTTP/1.1\r\nHost: a.example\r\nContent-Length : 5\r\n\r\nhello"));
        HttpRequest refused = bad.readInbound();
        assertThat(refused.decoderResult().isFailure()).isTrue();
        bad.finishAndReleaseAll();

        EmbeddedChannel good = new EmbeddedChannel(HttpDecoding.serverCodec(), new HttpObjectAggregator(1024));
        good.writeInbound(ascii("POST /upload HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\nGrpc-Status: 0\r\nX-Checksum: 42\r\n\r\n"));
        FullHttpRequest request = good.readInbound();
        try {
            assertThat(request.decoderResult().isSuccess()).isTrue();
            assertThat(request.headers()).isInstanceOf(CompactHttpHeaders.class);
            assertThat(request.headers().get("host")).isEqualTo("a.example");
            assertThat(request.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(request.trailingHeaders().get("grpc-status")).isEqualTo("0");
            assertThat(request.trailingHeaders().get("X-CHECKSUM")).isEqualTo("42");
        } finally {
            request.release();
            good.finishAndReleaseAll();
        }
    }

    private static List<String> names(HttpHeaders headers) {
        List<String> names = new ArrayList<>();
        headers.iteratorCharSequence().forEachRemaining(entry -> names.add(entry.getKey().toString()));
        return names;
    }

    private static HttpRequest request(HttpHeaders headers) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", headers);
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
