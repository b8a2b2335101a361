package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The downstream codec: known request names as constants, and HttpServerCodec's pairing of responses with requests. */
class DownstreamHttpCodecTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(HttpDecoding.serverCodec());

    @Test
    void knownNamesAreTheConstantsAndOtherSpellingsStayAsSent() {
        HttpRequest request = decodeOne("GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: curl/8.5.0\r\nUSER-AGENT: shouting\r\n"
                + "sec-ch-ua-mobile: ?0\r\nX-Custom: 1\r\n\r\n");

        List<Map.Entry<CharSequence, CharSequence>> headers = new ArrayList<>();
        request.headers().iteratorCharSequence().forEachRemaining(entry -> headers.add(Map.entry(entry.getKey(), entry.getValue())));
        assertThat(headers).extracting(entry -> entry.getKey().toString())
                .containsExactly("Host", "User-Agent", "USER-AGENT", "sec-ch-ua-mobile", "X-Custom");
        assertThat((Object) headers.get(1).getKey()).isSameAs(DownstreamHttpCodec.REQUEST_NAMES.find(bytes("User-Agent"), 0, 10));
        assertThat((Object) headers.get(3).getKey()).isSameAs(DownstreamHttpCodec.REQUEST_NAMES.find(bytes("sec-ch-ua-mobile"), 0, 16));
        assertThat((Object) DownstreamHttpCodec.REQUEST_NAMES.find(bytes("USER-AGENT"), 0, 10)).isNull();
        assertThat(request.headers().getAll("user-agent")).containsExactly("curl/8.5.0", "shouting");
    }

    @Test
    void aValueOrTargetRepeatedByTheNextRequestIsTheSameString() {
        List<Object> requests = decodeAll("GET /poll HTTP/1.1\r\nHost: a.example\r\nUser-Agent: probe/1\r\n\r\n"
                + "GET /poll HTTP/1.1\r\nHost: a.example\r\nUser-Agent: probe/2\r\n\r\n");
        HttpRequest first = (HttpRequest) requests.get(0);
        HttpRequest second = (HttpRequest) requests.get(2);

        assertThat(second.uri()).isSameAs(first.uri());
        assertThat(second.headers().get("host")).isSameAs(first.headers().get("host"));
        assertThat(second.headers().get("user-agent")).isEqualTo("probe/2");
    }

    @Test
    void aRequestHandedBackCarriesTheNextRequestAndNothingOfItsOwn() {
        HttpRequest first = decodeOne("POST /upload HTTP/1.1\r\nHost: a.example\r\nCookie: id=1\r\nContent-Length: 0\r\n\r\n");
        first.headers().add("X-Forwarded-For", "192.0.2.7"); // what the frontend adds on the way up
        Recyclable.recycle(first);

        HttpRequest second = decodeOne("GET /next HTTP/1.1\r\nHost: b.example\r\n\r\n");

        assertThat(second).isSameAs(first);
        assertThat(second.method()).isEqualTo(HttpMethod.GET);
        assertThat(second.uri()).isEqualTo("/next");
        assertThat(second.headers().names()).containsExactly("Host");
        assertThat(second.headers().get("host")).isEqualTo("b.example");
    }

    @Test
    void aRequestNotHandedBackIsLeftAsItWasAndTheNextIsAnother() {
        HttpRequest first = decodeOne("GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n");
        HttpRequest second = decodeOne("GET /b HTTP/1.1\r\nHost: b.example\r\n\r\n");
        Recyclable.recycle(second);
        HttpRequest third = decodeOne("GET /c HTTP/1.1\r\nHost: c.example\r\n\r\n");

        assertThat(second).isNotSameAs(first);
        assertThat(third).isSameAs(second);
        assertThat(first.uri()).isEqualTo("/a");
        assertThat(first.headers().get("host")).isEqualTo("a.example");
    }

    @Test
    void aHeadNettysDecoderReadsLeavesTheHandedBackRequestForTheNext() {
        HttpRequest first = decodeOne("GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n");
        Recyclable.recycle(first);
        HttpRequest unusual = decodeOne("GET /b HTTP/1.0\r\nHost: b.example\r\n\r\n"); // not of the common form
        HttpRequest third = decodeOne("GET /c HTTP/1.1\r\nHost: c.example\r\n\r\n");

        assertThat(unusual).isNotSameAs(first);
        assertThat(unusual.headers().get("host")).isEqualTo("b.example");
        assertThat(third).isSameAs(first);
        assertThat(third.headers().get("host")).isEqualTo("c.example");
    }

    @Test
    void aResponseToHeadHasNoBodyAndTheNextResponseDoes() {
        decodeAll("HEAD /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(written(response("hello"))).endsWith("content-length: 5\r\n\r\n");
        assertThat(written(response("hello"))).endsWith("content-length: 5\r\n\r\nhello");
    }

    @Test
    void methodsArePairedInOrderPastTheFirstWordOfTheQueue() {
        StringBuilder pipelined = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            pipelined.append(i % 7 == 3 ? "HEAD" : "GET").append(" /").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        decodeAll(pipelined.toString());

        for (int i = 0; i < 100; i++) {
            String out = written(response("body"));
            assertThat(out.endsWith("body")).as("response %d", i).isEqualTo(i % 7 != 3);
        }
    }

    @Test
    void theQueueKeepsItsOrderWhenItEmptiesAndFillsAgainPastItsFirstWord() {
        for (int round = 0; round < 3; round++) {
            StringBuilder pipelined = new StringBuilder();
            int depth = 20 + 30 * round; // 20, 50, 80: below, across and well past the first 32
            for (int i = 0; i < depth; i++) {
                pipelined.append(i % 5 == round ? "HEAD" : "GET").append(" /").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
            }
            decodeAll(pipelined.toString());
            for (int i = 0; i < depth; i++) {
                assertThat(written(response("body")).endsWith("body")).as("round %d, response %d", round, i).isEqualTo(i % 5 != round);
            }
        }
    }

    @Test
    void exactlyTheAllowedNumberOfPipelinedRequestsMayWait() {
        StringBuilder pipelined = new StringBuilder();
        for (int i = 0; i < DownstreamHttpCodec.MAX_AWAITING; i++) {
            pipelined.append("GET /").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        assertThat(decodeAll(pipelined.toString()).stream().filter(HttpRequest.class::isInstance)).hasSize(DownstreamHttpCodec.MAX_AWAITING);

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.copiedBuffer("GET /one-more HTTP/1.1\r\nHost: a\r\n\r\n",
                StandardCharsets.US_ASCII))).hasMessageContaining("more than 128 pipelined requests");
    }

    @Test
    void aSuccessfulConnectLosesTransferEncoding() {
        decodeAll("CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n");
        DefaultHttpResponse ok = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        ok.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");

        channel.writeOutbound(ok);

        assertThat(readOutbound()).isEqualTo("HTTP/1.1 200 OK\r\n\r\n");
    }

    @Test
    void aRequestWithTransferEncodingAndContentLengthIsRefusedAsMalformed() {
        HttpRequest request = decodeOne("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n");

        assertThat(request.decoderResult().isFailure()).isTrue();
    }

    @Test
    void aHeadCutShortAfterALineEndedByALineFeedAloneIsRefusedAtOnce() {
        List<Object> messages = decodeAll("GET / HTTP/1.1\r\nHost: a\nUser-Agent: b"); // no end yet, and none needed

        assertThat(messages).first().isInstanceOfSatisfying(HttpRequest.class,
                request -> assertThat(request.decoderResult().isFailure()).isTrue());
    }

    @Test
    void moreThanTheAllowedPipelinedRequestsAreRefusedAndReleased() {
        StringBuilder pipelined = new StringBuilder();
        for (int i = 0; i < DownstreamHttpCodec.MAX_AWAITING + 5; i++) {
            pipelined.append("GET /").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.copiedBuffer(pipelined, StandardCharsets.US_ASCII)))
                .hasMessageContaining("more than 128 pipelined requests");
        List<Object> delivered = readAll();
        assertThat(delivered.stream().filter(HttpRequest.class::isInstance)).hasSize(DownstreamHttpCodec.MAX_AWAITING);
        assertThat(channel.writeInbound(Unpooled.copiedBuffer("GET /more HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.US_ASCII)))
                .isFalse(); // discarded unread
    }

    @Test
    void aChunkedUploadThatArrivedWholeIsReadInOnePassAsNettyWouldDeliverIt() {
        channel.writeInbound(Unpooled.copiedBuffer("POST /upload HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a.example\r\n\r\n", StandardCharsets.US_ASCII));

        HttpRequest upload = channel.readInbound();
        assertThat(upload).isInstanceOf(Recyclable.class); // read in one pass, not by Netty's decoder
        assertThat(upload.headers().get("Transfer-Encoding")).isEqualTo("chunked");
        List<Object> pieces = List.of(channel.readInbound(), channel.readInbound(), channel.readInbound());
        assertThat(pieces.get(0)).isInstanceOf(BodyPiece.Chunk.class);
        assertThat(pieces.get(2)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(pieces.stream().map(piece -> ((HttpContent) piece).content().toString(StandardCharsets.US_ASCII)))
                .containsExactly("hello", ", world", "");
        pieces.forEach(ReferenceCountUtil::release);
        HttpRequest next = channel.readInbound();
        assertThat(next.uri()).isEqualTo("/next");
        assertThat(readAll()).containsExactly(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Test
    void aChunkedUploadStillArrivingIsLeftToNettysDecoder() {
        channel.writeInbound(Unpooled.copiedBuffer("PUT /blob HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n", StandardCharsets.US_ASCII));

        HttpRequest streamed = channel.readInbound();
        assertThat(streamed).isNotInstanceOf(Recyclable.class);
        HttpContent first = channel.readInbound();
        assertThat(first.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        first.release();
        channel.writeInbound(Unpooled.copiedBuffer("3\r\n...\r\n0\r\n\r\n", StandardCharsets.US_ASCII));
        HttpContent rest = channel.readInbound();
        assertThat(rest.content().toString(StandardCharsets.US_ASCII)).isEqualTo("...");
        rest.release();
        assertThat((Object) channel.readInbound()).isInstanceOf(LastHttpContent.class);
    }

    private HttpRequest decodeOne(String text) {
        List<Object> messages = decodeAll(text);
        messages.subList(1, messages.size()).forEach(ReferenceCountUtil::release);
        return (HttpRequest) messages.getFirst();
    }

    private List<Object> decodeAll(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        return readAll();
    }

    /** The messages read so far, released (requests carry no buffer of their own). */
    private List<Object> readAll() {
        List<Object> messages = new ArrayList<>();
        for (Object message; (message = channel.readInbound()) != null; ) {
            messages.add(message);
            if (message instanceof HttpContent content) {
                content.release();
            }
        }
        return messages;
    }

    private static DefaultFullHttpResponse response(String body) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length());
        return response;
    }

    private String written(DefaultFullHttpResponse response) {
        channel.writeOutbound(response);
        return readOutbound();
    }

    private String readOutbound() {
        StringBuilder text = new StringBuilder();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ByteBuf bytes = (ByteBuf) out;
            text.append(bytes.toString(StandardCharsets.US_ASCII));
            bytes.release();
        }
        return text.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
