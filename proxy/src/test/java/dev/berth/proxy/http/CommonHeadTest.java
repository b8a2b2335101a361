package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Berth's codecs, which read common heads in one pass, against Netty's own codecs on the same decoder settings:
 * thousands of generated connections each way — usual heads, and every kind of unusual or malformed one the one-pass
 * readers must leave to Netty — cut at random points, must decode to the same messages, headers, bodies and failures.
 */
class CommonHeadTest {
    private static final String[] REQUEST_LINES = {
        "GET /index.html HTTP/1.1", "GET /index.html HTTP/1.1", "POST /form HTTP/1.1", "HEAD / HTTP/1.1",
        "PUT /x?y=1&z=%20 HTTP/1.1", "OPTIONS * HTTP/1.1", "DELETE /a HTTP/1.1", "PATCH /p HTTP/1.1",
        "GET http://a.example/absolute HTTP/1.1", "GET  /double HTTP/1.1", "GET /a HTTP/1.0", "get /a HTTP/1.1",
        "CONNECT a.example:443 HTTP/1.1", "TRACE / HTTP/1.1", "GET /a\tb HTTP/1.1", "GET /caf\u00e9 HTTP/1.1",
        "GET / HTTP/1.1 ", "GET /a HTTP/1.1x", "BREW /pot HTTP/1.1", "GET", "\r\nGET / HTTP/1.1", "GET /a\u0000 HTTP/1.1",
        "GET / HTTP/2.0", "GET /a HTTP/1.1\u0001", " GET / HTTP/1.1"};
    private static final String[] REQUEST_FIELDS = {
        "Host: a.example", "User-Agent: Mozilla/5.0 (X11; Linux x86_64)", "Accept: text/html,*/*;q=0.8",
        "Accept-Encoding: gzip, deflate, br", "Cookie: session=5f2b9c0e", "sec-ch-ua-mobile: ?0",
        "Host:a.example", "X-A:  spaced  ", "X-Empty:", "HOST: loud.example", "Bad Name: v", "Host : a.example",
        "X-Obs: caf\u00e9", "X-Ctl: a\u0001b", "X-Fold: a\r\n b", "X-LF: v\nX-After: w", "X-CR: a\rb", ": no name",
        "NoColon", "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5", "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00",
        "Upgrade: websocket", "Connection: Upgrade", "Expect: 100-continue", "Transfer-Encoding: gzip", "Connection: close"};
    private static final String[] STATUS_LINES = {
        "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 204 No Content", "HTTP/1.1 304 Not Modified",
        "HTTP/1.1 500 Internal Server Error", "HTTP/1.0 200 OK", "HTTP/1.1 200 Okay", "HTTP/1.1 200 ", "HTTP/1.1 200",
        "HTTP/1.1 299 Fine", "HTTP/1.1 2000 OK", "HTTP/1.1 20x OK", "http/1.1 200 OK", "HTTP/1.1  200 OK", "HTTP/2 200 OK",
        "\r\nHTTP/1.1 200 OK", " HTTP/1.1 200 OK", "HTTP/1.1 200 OK ", "HTTP/1.1 200 O\u0001K"};
    private static final String[] FIELDS = {
        "Server: nginx/1.22.1", "Content-Type: text/plain", "Date: Sat, 28 Nov 2026 03:00:00 GMT", "Accept-Ranges: bytes",
        "ETag: \"6561d6e1-400\"", "X-A:  spaced  ", "X-Tab:\tv\t", "X-Empty:", "x-lower: v", "SERVER: loud",
        "Bad Name: v", "X-Space : v", "X-Obs: caf\u00e9", "X-Ctl: a\u0001b", "X-Del: a\u007fb", "X-Fold: a\r\n b",
        "X-LF: v\nX-After: w", "X-CR: a\rb", ": no name", "NoColon", "X-Nul: a\u0000b", "Connection: keep-alive",
        "Connection: close", "Keep-Alive: timeout=5", "Vary: Accept-Encoding", "Set-Cookie: a=b; Path=/"};

    @Test
    void requestsDecodeAsNettysOwnCodecDecodesThem() {
        Random random = new Random(20261128);
        for (int connection = 0; connection < 3000; connection++) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            int requests = 1 + random.nextInt(4);
            for (int i = 0; i < requests; i++) {
                wire.writeBytes(request(random).getBytes(StandardCharsets.ISO_8859_1));
            }
            byte[] bytes = wire.toByteArray();
            int seed = random.nextInt();
            List<String> expected = decode(() -> new HttpServerCodec(HttpDecoding.config()), List.of(), bytes, seed);
            List<String> actual = decode(HttpDecoding::serverCodec, List.of(), bytes, seed);
            assertThat(actual).as("connection %d: %s", connection, new String(bytes, StandardCharsets.ISO_8859_1))
                    .isEqualTo(expected);
        }
    }

    /** A request: mostly of the usual kind, often with one unusual part. */
    private static String request(Random random) {
        boolean usual = random.nextInt(3) > 0;
        String line = usual ? REQUEST_LINES[random.nextInt(9)] : REQUEST_LINES[random.nextInt(REQUEST_LINES.length)];
        StringBuilder head = new StringBuilder(line).append("\r\n");
        int fields = random.nextInt(8);
        for (int i = 0; i < fields; i++) {
            head.append(usual ? REQUEST_FIELDS[random.nextInt(6)] : REQUEST_FIELDS[random.nextInt(REQUEST_FIELDS.length)]).append("\r\n");
        }
        int bodyLength = random.nextInt(5) == 0 ? 9000 + random.nextInt(9000) : random.nextInt(40);
        String body = "q".repeat(bodyLength);
        switch (usual ? random.nextInt(2) : random.nextInt(7)) {
            case 0 -> head.append("\r\n"); // no body
            case 1 -> head.append("Content-Length: ").append(bodyLength).append("\r\n\r\n").append(body);
            case 2 -> head.append("Content-Length: ").append(bodyLength).append("\r\nContent-Length: ").append(bodyLength + 1)
                    .append("\r\n\r\n").append(body);
            case 3 -> head.append("Content-Length: +").append(bodyLength).append("\r\n\r\n").append(body);
            case 4 -> head.append("Transfer-Encoding: chunked\r\n\r\n").append(Integer.toHexString(bodyLength)).append("\r\n")
                    .append(body).append(bodyLength > 0 ? "\r\n0\r\n\r\n" : "\r\n");
            case 5 -> head.append("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            default -> head.append("Content-Length: ").append(bodyLength + 7).append("\r\n\r\n").append(body); // cut short if last
        }
        return head.toString();
    }

    @Test
    void responsesDecodeAsNettysOwnCodecDecodesThem() {
        Random random = new Random(20261128);
        for (int connection = 0; connection < 3000; connection++) {
            List<HttpMethod> methods = new ArrayList<>();
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            int responses = 1 + random.nextInt(4);
            for (int i = 0; i < responses; i++) {
                HttpMethod method = random.nextInt(6) == 0 ? HttpMethod.HEAD : HttpMethod.GET;
                methods.add(method);
                wire.writeBytes(response(random, i == responses - 1).getBytes(StandardCharsets.ISO_8859_1));
            }
            byte[] bytes = wire.toByteArray();
            int seed = random.nextInt();
            List<String> expected = decode(() -> new HttpClientCodec(HttpDecoding.config(), false, false), methods, bytes, seed);
            List<String> actual = decode(HttpDecoding::clientCodec, methods, bytes, seed);
            assertThat(actual).as("connection %d: %s", connection, new String(bytes, StandardCharsets.ISO_8859_1))
                    .isEqualTo(expected);
        }
    }

    /** A response: mostly of the usual kind, often with one unusual part; the last of a connection may end with it. */
    private static String response(Random random, boolean last) {
        boolean usual = random.nextInt(3) > 0;
        String status = usual ? STATUS_LINES[random.nextInt(6)] : STATUS_LINES[random.nextInt(STATUS_LINES.length)];
        StringBuilder head = new StringBuilder();
        if (random.nextInt(20) == 0) {
            head.append("HTTP/1.1 100 Continue\r\n\r\n");
        }
        head.append(status).append("\r\n");
        int fields = random.nextInt(8);
        for (int i = 0; i < fields; i++) {
            head.append(usual ? FIELDS[random.nextInt(5)] : FIELDS[random.nextInt(FIELDS.length)]).append("\r\n");
        }
        int bodyLength = random.nextInt(5) == 0 ? 9000 + random.nextInt(9000) : random.nextInt(40);
        String body = "b".repeat(bodyLength);
        switch (usual ? 0 : random.nextInt(9)) {
            case 0, 1 -> head.append("Content-Length: ").append(bodyLength).append("\r\n\r\n").append(body);
            case 2 -> head.append("Content-Length: ").append(bodyLength).append("\r\nContent-Length: ").append(bodyLength)
                    .append("\r\n\r\n").append(body);
            case 3 -> head.append("content-length:  +").append(bodyLength).append(" \r\n\r\n").append(body);
            case 4 -> head.append("Content-Length: 0").append(bodyLength).append("\r\n\r\n").append(body);
            case 5 -> head.append("Transfer-Encoding: chunked\r\n\r\n").append(Integer.toHexString(bodyLength)).append("\r\n")
                    .append(body).append(bodyLength > 0 ? "\r\n0\r\n\r\n" : "\r\n");
            case 6 -> head.append("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            case 7 -> head.append("Content-Length: ").append(bodyLength + 7).append("\r\n\r\n").append(body); // cut short if last
            default -> head.append(last ? "\r\n" + body : "Content-Length: 1\r\n\r\nx"); // a body to the connection's end
        }
        return head.toString();
    }

    /** What a codec makes of the bytes, fed in pieces cut where the seed says, then the end of the connection. */
    private static List<String> decode(Supplier<? extends io.netty.channel.ChannelHandler> codec, List<HttpMethod> methods,
            byte[] bytes, int seed) {
        EmbeddedChannel channel = new EmbeddedChannel(codec.get());
        for (HttpMethod method : methods) {
            channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        }
        for (Object written; (written = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(written);
        }
        Random cuts = new Random(seed);
        List<String> events = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int at = 0; at < bytes.length; ) {
            int piece = Math.min(bytes.length - at, cuts.nextInt(4) == 0 ? 1 : 1 + cuts.nextInt(600));
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, piece));
            at += piece;
            drain(channel, events, body);
        }
        channel.finish();
        drain(channel, events, body);
        if (!body.isEmpty()) {
            events.add("unfinished body " + body.length());
        }
        channel.finishAndReleaseAll();
        return events;
    }

    private static void drain(EmbeddedChannel channel, List<String> events, StringBuilder body) {
        for (Object message; (message = channel.readInbound()) != null; ) {
            if (message instanceof HttpRequest request) {
                List<String> headers = new ArrayList<>();
                request.headers().iteratorCharSequence().forEachRemaining(h -> headers.add(h.getKey() + "=" + h.getValue()));
                events.add("request " + request.method() + " " + request.uri() + " " + request.protocolVersion() + " " + headers
                        + " " + request.decoderResult().isSuccess());
            }
            if (message instanceof HttpResponse response) {
                List<String> headers = new ArrayList<>();
                response.headers().iteratorCharSequence().forEachRemaining(h -> headers.add(h.getKey() + "=" + h.getValue()));
                events.add("response " + response.protocolVersion() + " " + response.status() + " " + headers + " "
                        + response.decoderResult().isSuccess());
            }
            if (message instanceof HttpContent content) {
                body.append(content.content().toString(StandardCharsets.ISO_8859_1));
                if (content.decoderResult().isFailure()) {
                    events.add("failed content " + content.decoderResult().cause().getClass().getSimpleName());
                }
                if (content instanceof LastHttpContent end) {
                    List<Map.Entry<String, String>> trailers = end.trailingHeaders().entries();
                    events.add("body " + body.length() + " " + body.toString().hashCode() + " trailers " + trailers);
                    body.setLength(0);
                }
            } else if (message instanceof ByteBuf raw) {
                events.add("raw " + raw.readableBytes());
            }
            ReferenceCountUtil.release(message);
        }
    }
}
