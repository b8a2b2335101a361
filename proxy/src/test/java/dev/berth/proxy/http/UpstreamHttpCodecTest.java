package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamHttpCodecTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(HttpDecoding.clientCodec());

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void theUsualWordsOfAResponseHeadAreConstantsAndTheRestArriveAsSent() {
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        receive("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 2\r\nX-Custom: a\r\n\r\nhi");
        receive("HTTP/1.1 299 Fine\r\nCONTENT-LENGTH: 0\r\nx-custom: b\r\n\r\n");

        HttpResponse first = response();
        assertThat(first.protocolVersion()).isSameAs(HttpVersion.HTTP_1_1);
        assertThat(first.status()).isSameAs(HttpResponseStatus.OK);
        assertThat(spelled(first)).containsExactly("Server", "Content-Length", "X-Custom");
        assertThat(content()).isEqualTo("hi");

        HttpResponse second = response();
        assertThat(second.status().code()).isEqualTo(299);
        assertThat(second.status().reasonPhrase()).isEqualTo("Fine");
        assertThat(spelled(second)).containsExactly("CONTENT-LENGTH", "x-custom");
        assertThat(content()).isEmpty();
    }

    @Test
    void aNameOfTheTableIsOneObjectAcrossResponses() {
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        receive("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n");
        receive("HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n");

        HttpResponse first = response();
        content();
        HttpResponse second = response();
        assertThat(first.status()).isSameAs(HttpResponseStatus.NOT_FOUND);
        assertThat(namesOf(second).get(0)).isSameAs(namesOf(first).get(0));
        assertThat(second.headers().get("content-type")).isEqualTo("text/html");
    }

    @Test
    void aValueRepeatedAtTheSamePlaceOfTheNextHeadIsTheSameString() {
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        receive("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi"
                + "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/css\r\nContent-Length: 2\r\n\r\nho");

        HttpResponse first = response();
        assertThat(content()).isEqualTo("hi");
        HttpResponse second = response();
        assertThat(content()).isEqualTo("ho");
        assertThat(second.headers().get("server")).isSameAs(first.headers().get("server"));
        assertThat(second.headers().get("content-length")).isSameAs(first.headers().get("content-length"));
        assertThat(second.headers().get("content-type")).isEqualTo("text/css");
    }

    @Test
    void aResponseHandedBackCarriesTheNextResponseAndNothingOfItsOwn() {
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        receive("HTTP/1.1 404 Not Found\r\nServer: nginx\r\nSet-Cookie: a=1\r\nContent-Length: 0\r\n\r\n");
        HttpResponse first = response();
        content();
        first.headers().remove("Server"); // what the frontend does on the way down, to hop-by-hop headers
        Recyclable.recycle(first);
        receive("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        HttpResponse second = response();
        content();
        receive("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n");
        HttpResponse third = response();
        content();

        assertThat(second).isSameAs(first);
        assertThat(second.status()).isSameAs(HttpResponseStatus.OK);
        assertThat(spelled(second)).containsExactly("Content-Length");
        assertThat(third).isNotSameAs(second); // the second was not handed back
        assertThat(spelled(second)).containsExactly("Content-Length");
        assertThat(third.status()).isSameAs(HttpResponseStatus.NOT_MODIFIED);
    }

    @Test
    void bodyPiecesHandedBackCarryTheNextResponsesBytesAndNothingOfTheirOwn() {
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        // more than the decoder's chunk size (8192): a piece, then the end
        receive("HTTP/1.1 200 OK\r\nContent-Length: 8194\r\n\r\n" + "x".repeat(8192) + "yz");
        response();
        HttpContent firstPiece = channel.readInbound();
        LastHttpContent firstEnd = channel.readInbound();
        handBack(firstPiece);
        handBack(firstEnd);
        receive("HTTP/1.1 200 OK\r\nContent-Length: 8194\r\n\r\n" + "a".repeat(8192) + "bc");
        response();
        HttpContent secondPiece = channel.readInbound();
        LastHttpContent secondEnd = channel.readInbound();

        assertThat(secondPiece).isSameAs(firstPiece).isNotInstanceOf(LastHttpContent.class);
        assertThat(secondEnd).isSameAs(firstEnd);
        assertThat(secondPiece.content().toString(StandardCharsets.US_ASCII)).isEqualTo("a".repeat(8192));
        assertThat(secondEnd.content().toString(StandardCharsets.US_ASCII)).isEqualTo("bc");
        assertThat(secondEnd.trailingHeaders().isEmpty()).isTrue();
        assertThat(secondEnd.decoderResult().isSuccess()).isTrue();
        secondPiece.release();
        secondEnd.release(); // not handed back: the next response's end is a new one
        receive("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        response();
        LastHttpContent thirdEnd = channel.readInbound();
        assertThat(thirdEnd).isNotSameAs(secondEnd);
        assertThat(thirdEnd.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
        thirdEnd.release();
    }

    /** As the frontend does with a piece: written (which releases it), then handed back. */
    private static void handBack(HttpContent piece) {
        piece.release();
        Recyclable.recycle(piece);
        assertThat(piece.content()).isNull(); // a piece handed back holds nothing a late reader could take for its own
    }

    @Test
    void aChunkedResponseThatArrivedWholeIsReadInOnePassAsNettyWouldDeliverIt() {
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        receive("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nA\r\n, streamed\r\n0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");

        HttpResponse first = response();
        assertThat(first).isInstanceOf(Recyclable.class); // read in one pass, not by Netty's decoder
        assertThat(first.headers().get("Transfer-Encoding")).isEqualTo("chunked");
        List<Object> pieces = List.of(channel.readInbound(), channel.readInbound(), channel.readInbound());
        assertThat(pieces.get(0)).isInstanceOf(BodyPiece.Chunk.class);
        assertThat(pieces.get(1)).isInstanceOf(BodyPiece.Chunk.class).isNotSameAs(pieces.get(0));
        assertThat(pieces.get(2)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(pieces.stream().map(piece -> ((HttpContent) piece).content().toString(StandardCharsets.US_ASCII)))
                .containsExactly("hello", ", streamed", "");
        pieces.forEach(ReferenceCountUtil::release);
        assertThat(response()).isInstanceOf(Recyclable.class);
        assertThat(content()).isEqualTo("hi");
    }

    @Test
    void aChunkedResponseStillArrivingIsLeftToNettysDecoder() {
        send(HttpMethod.GET);
        receive("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");

        HttpResponse streamed = response();
        assertThat(streamed).isNotInstanceOf(Recyclable.class);
        HttpContent first = channel.readInbound();
        assertThat(first.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        first.release();
        receive("3\r\n...\r\n0\r\n\r\n");
        assertThat(content()).isEqualTo("...");
    }

    @Test
    void aResponseToHeadHasNoBodyWhateverItsLengthSays() {
        send(HttpMethod.HEAD);
        send(HttpMethod.GET);
        receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");

        response();
        assertThat(content()).isEmpty();
        response();
        assertThat(content()).isEqualTo("hello");
    }

    @Test
    void anInformationalResponseWaitsForTheFinalOneOfItsRequest() {
        send(HttpMethod.HEAD);
        receive("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n");

        assertThat(response().status()).isSameAs(HttpResponseStatus.CONTINUE);
        assertThat(content()).isEmpty();
        assertThat(response().status()).isSameAs(HttpResponseStatus.OK);
        assertThat(content()).isEmpty(); // the HEAD's: no body, though 3 bytes were announced
    }

    @Test
    void aSucceededConnectLeavesWhatFollowsUndecoded() {
        send(HttpMethod.CONNECT);
        receive("HTTP/1.1 200 Connection Established\r\n\r\n");
        assertThat(response().status().code()).isEqualTo(200);
        assertThat(content()).isEmpty();

        receive("HTTP/1.1 not a response");
        ByteBuf raw = channel.readInbound();
        try {
            assertThat(raw.toString(StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 not a response");
        } finally {
            raw.release();
        }
    }

    @Test
    void aHeadCutShortAfterALineEndedByALineFeedAloneIsRefusedAtOnce() {
        send(HttpMethod.GET);
        receive("HTTP/1.1 200 OK\nServer: b"); // no end yet, and none needed

        Object message = channel.readInbound();
        assertThat(message).isInstanceOfSatisfying(HttpResponse.class,
                response -> assertThat(response.decoderResult().isFailure()).isTrue());
    }

    private void send(HttpMethod method) {
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        for (Object written; (written = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(written);
        }
    }

    private void receive(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
    }

    private HttpResponse response() {
        Object message = channel.readInbound();
        assertThat(message).isInstanceOf(HttpResponse.class);
        assertThat(((HttpResponse) message).decoderResult().isSuccess()).isTrue();
        return (HttpResponse) message;
    }

    /** The body up to and including the message's end, as text. */
    private String content() {
        StringBuilder body = new StringBuilder();
        while (true) {
            HttpContent chunk = channel.readInbound();
            assertThat(chunk).isNotNull();
            body.append(chunk.content().toString(StandardCharsets.US_ASCII));
            chunk.release();
            if (chunk instanceof LastHttpContent) {
                return body.toString();
            }
        }
    }

    private static List<String> spelled(HttpResponse response) {
        return namesOf(response).stream().map(CharSequence::toString).toList();
    }

    private static List<CharSequence> namesOf(HttpResponse response) {
        List<CharSequence> names = new ArrayList<>();
        for (var entries = response.headers().iteratorCharSequence(); entries.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> entry = entries.next();
            names.add(entry.getKey());
        }
        return names;
    }
}
