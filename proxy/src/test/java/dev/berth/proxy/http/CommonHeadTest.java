package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Berth's codecs, which read common heads in one pass, against Netty's own codecs on the same decoder settings:
 * thousands of generated connections each way — usual heads, and every kind of unusual or malformed one the one-pass
 * readers must leave to Netty — fed whole or cut at random points, must decode to the same messages, headers, body
 * pieces and failures; once more with small limits, which the one-pass readers must keep as Netty's decoder does.
 */
class CommonHeadTest {
    private static final HttpDecoderConfig SMALL_LIMITS = HttpDecoding.config().clone()
            .setMaxInitialLineLength(40).setMaxHeaderSize(120).setMaxChunkSize(100);

    private static final String[] REQUEST_LINES = {
        "GET /index.html HTTP/1.1", "GET /index.html HTTP/1.1", "POST /form HTTP/1.1", "HEAD / HTTP/1.1",
        "PUT /x?y=1&z=%20 HTTP/1.1", "OPTIONS * HTTP/1.1", "DELETE /a HTTP/1.1", "PATCH /p HTTP/1.1",
        "GET http://a.example/absolute HTTP/1.1", "GET  /double HTTP/1.1", "GET /a HTTP/1.0", "get /a HTTP/1.1",
        "CONNECT a.example:443 HTTP/1.1", "TRACE / HTTP/1.1", "GET /a\tb HTTP/1.1", "GET /caf\u00e9 HTTP/1.1",
        "GET / HTTP/1.1 ", "GET /a HTTP/1.1x", "BREW /pot HTTP/1.1", "GET", "\r\nGET / HTTP/1.1", "GET /a\u0000 HTTP/1.1",
        "GET / HTTP/2.0", "GET /a HTTP/1.1\u0001", " GET / HTTP/1.1", "GET /" + "long".repeat(1100) + " HTTP/1.1",
        "PRI * HTTP/2.0",
        // first lines of exactly the limit and one byte over it, small limits (40) and the default (4096)
        "GET /" + "x".repeat(26) + " HTTP/1.1", "GET /" + "x".repeat(27) + " HTTP/1.1",
        "GET /" + "x".repeat(4082) + " HTTP/1.1", "GET /" + "x".repeat(4083) + " HTTP/1.1"};
    private static final String[] REQUEST_FIELDS = {
        "Host: a.example", "User-Agent: Mozilla/5.0 (X11; Linux x86_64)", "Accept: text/html,*/*;q=0.8",
        "Accept-Encoding: gzip, deflate, br", "Cookie: session=5f2b9c0e", "sec-ch-ua-mobile: ?0",
        "Host:a.example", "X-A:  spaced  ", "X-Empty:", "X-Blank:   ", "HOST: loud.example", "Bad Name: v",
        "Host : a.example", "X-Obs: caf\u00e9", "X-Ctl: a\u0001b", "X-Fold: a\r\n b", "X-LF: v\nX-After: w", "X-CR: a\rb",
        ": no name", "NoColon", "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5", "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00",
        "Upgrade: websocket", "Connection: Upgrade", "Expect: 100-continue", "Transfer-Encoding: gzip", "Connection: close",
        "X-Long: " + "v".repeat(3000), "X-Tab:\tv\t", "X-Del: a\u007fb", "X-Nul: a\u0000b", "transfer-encoding: chunked",
        // a header line of exactly the small limit (120) and one byte over it
        "X-Fill: " + "f".repeat(112), "X-Fill: " + "f".repeat(113)};
    private static final String[] STATUS_LINES = {
        "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 204 No Content", "HTTP/1.1 304 Not Modified",
        "HTTP/1.1 500 Internal Server Error", "HTTP/1.0 200 OK", "HTTP/1.1 200 Okay", "HTTP/1.1 200 ", "HTTP/1.1 200",
        "HTTP/1.1 299 Fine", "HTTP/1.1 2000 OK", "HTTP/1.1 20x OK", "http/1.1 200 OK", "HTTP/1.1  200 OK", "HTTP/2 200 OK",
        "\r\nHTTP/1.1 200 OK", " HTTP/1.1 200 OK", "HTTP/1.1 200 OK ", "HTTP/1.1 200 O\u0001K",
        "HTTP/1.1 407 Proxy Authentication Required",
        // status lines of exactly the limit and one byte over it, small limits (40) and the default (4096)
        "HTTP/1.1 200 " + "r".repeat(27), "HTTP/1.1 200 " + "r".repeat(28),
        "HTTP/1.1 200 " + "r".repeat(4083), "HTTP/1.1 200 " + "r".repeat(4084)};
    private static final String[] FIELDS = {
        "Server: nginx/1.22.1", "Content-Type: text/plain", "Date: Sat, 28 Nov 2026 03:00:00 GMT", "Accept-Ranges: bytes",
        "ETag: \"6561d6e1-400\"", "X-A:  spaced  ", "X-Tab:\tv\t", "X-Empty:", "X-Blank:  \t ", "x-lower: v", "SERVER: loud",
        "Bad Name: v", "X-Space : v", "X-Obs: caf\u00e9", "X-Ctl: a\u0001b", "X-Del: a\u007fb", "X-Fold: a\r\n b",
        "X-LF: v\nX-After: w", "X-CR: a\rb", ": no name", "NoColon", "X-Nul: a\u0000b", "Connection: keep-alive",
        "Connection: close", "Keep-Alive: timeout=5", "Vary: Accept-Encoding", "Set-Cookie: a=b; Path=/",
        "Connection: upgrade\r\nUpgrade: websocket", "X-Long: " + "v".repeat(3000)};

    @Test
    void requestsDecodeAsNettysOwnCodecDecodesThem() {
        compareRequests(HttpDecoding.config(), 3000);
    }

    @Test
    void requestsKeepTheDecodersLimits() {
        compareRequests(SMALL_LIMITS, 1000);
    }

    @Test
    void responsesDecodeAsNettysOwnCodecDecodesThem() {
        compareResponses(HttpDecoding.config(), 3000);
    }

    @Test
    void responsesKeepTheDecodersLimits() {
        compareResponses(SMALL_LIMITS, 1000);
    }

    @Test
    void aLineEndsAtItsCrlfOrIsNotCommonAtTheFirstByteNoCommonHeadHas() {
        Random random = new Random(20261130);
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                for (int b = 0; b < 256; b++) { // every byte at every place of lines across one to five words
                    byte[] line = line(length, random);
                    line[at] = (byte) b;
                    assertThat(CommonHead.lineEnd(line, 0, line.length)).as("byte 0x%x at %d of %d", b, at, length)
                            .isEqualTo(lineEndByteByByte(line));
                }
            }
        }
        byte[] kinds = {'v', 'v', 'v', ' ', '\t', '\r', '\n', 0x7f, 0x1f, (byte) 0x80, (byte) 0xff, 0};
        for (int i = 0; i < 20000; i++) { // several unusual bytes, where a word's later marks may be wrong
            byte[] line = line(1 + random.nextInt(40), random);
            for (int j = 0; j < line.length - 2; j++) {
                line[j] = kinds[random.nextInt(kinds.length)];
            }
            assertThat(CommonHead.lineEnd(line, 0, line.length)).isEqualTo(lineEndByteByByte(line));
        }
    }

    /** A header line's bytes: printable ones, then CRLF. */
    private static byte[] line(int length, Random random) {
        byte[] line = new byte[length + 2];
        for (int i = 0; i < length; i++) {
            line[i] = (byte) (' ' + random.nextInt(0x7f - ' '));
        }
        line[length] = '\r';
        line[length + 1] = '\n';
        return line;
    }

    private static int lineEndByteByByte(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            int b = line[i] & 0xff;
            if (b == '\r') {
                return i + 1 < line.length && line[i + 1] == '\n' ? i : -1;
            }
            if (b != '\t' && (b < ' ' || b >= 0x7f)) {
                return -1;
            }
        }
        return -1;
    }

    private static void compareRequests(HttpDecoderConfig config, int connections) {
        Random random = new Random(20261128);
        for (int connection = 0; connection < connections; connection++) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            int requests = 1 + random.nextInt(4);
            for (int i = 0; i < requests; i++) {
                wire.writeBytes(request(random).getBytes(StandardCharsets.ISO_8859_1));
            }
            byte[] bytes = endedAnywhere(wire.toByteArray(), random);
            int seed = random.nextInt();
            List<String> expected = decode(() -> new HttpServerCodec(config), List.of(), bytes, seed);
            List<String> actual = decode(() -> new DownstreamHttpCodec(config), List.of(), bytes, seed);
            assertThat(actual).as("connection %d: %s", connection, new String(bytes, StandardCharsets.ISO_8859_1))
                    .isEqualTo(expected);
        }
    }

    private static void compareResponses(HttpDecoderConfig config, int connections) {
        Random random = new Random(20261129);
        for (int connection = 0; connection < connections; connection++) {
            List<HttpMethod> methods = new ArrayList<>();
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            int responses = 1 + random.nextInt(4);
            for (int i = 0; i < responses; i++) {
                boolean last = i == responses - 1;
                int kind = random.nextInt(30);
                if (last && kind == 0) { // a tunnel: CONNECT answered 200, then bytes that are not HTTP
                    methods.add(HttpMethod.CONNECT);
                    wire.writeBytes("HTTP/1.1 200 Connection Established\r\n\r\nHTTP/1.1 200 OK\r\n\r\nraw".getBytes(StandardCharsets.ISO_8859_1));
                    break;
                }
                if (last && kind == 1) { // a protocol switch, then its bytes
                    methods.add(HttpMethod.GET);
                    wire.writeBytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0002hi"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    break;
                }
                if (kind != 2) { // else: a response nobody asked for
                    methods.add(kind == 3 ? HttpMethod.CONNECT : random.nextInt(6) == 0 ? HttpMethod.HEAD : HttpMethod.GET);
                }
                wire.writeBytes(response(random, last).getBytes(StandardCharsets.ISO_8859_1));
                if (random.nextInt(15) == 0) {
                    wire.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1)); // a stray CRLF after a message
                }
            }
            byte[] bytes = endedAnywhere(wire.toByteArray(), random);
            int seed = random.nextInt();
            List<String> expected = decode(() -> new HttpClientCodec(config, false, false), methods, bytes, seed);
            List<String> actual = decode(() -> new UpstreamHttpCodec(config), methods, bytes, seed);
            assertThat(actual).as("connection %d (%s): %s", connection, methods, new String(bytes, StandardCharsets.ISO_8859_1))
                    .isEqualTo(expected);
        }
    }

    /** The connection's bytes, or now and then only their beginning: the peer went away in the middle of a message. */
    private static byte[] endedAnywhere(byte[] bytes, Random random) {
        return random.nextInt(8) == 0 ? Arrays.copyOf(bytes, random.nextInt(bytes.length)) : bytes;
    }

    /** The body framings of usual requests, among {@link #request}'s: none, a Content-Length, chunked as clients send it. */
    private static final int[] USUAL_REQUEST_BODIES = {0, 1, 10};

    /** A request: mostly of the usual kind, often with one unusual part. */
    private static String request(Random random) {
        boolean usual = random.nextInt(3) > 0;
        String line = usual ? REQUEST_LINES[random.nextInt(9)] : REQUEST_LINES[random.nextInt(REQUEST_LINES.length)];
        StringBuilder head = new StringBuilder(line).append("\r\n");
        int fields = random.nextInt(10) == 0 ? 18 + random.nextInt(6) : random.nextInt(8);
        for (int i = 0; i < fields; i++) {
            head.append(usual ? REQUEST_FIELDS[random.nextInt(6)] : REQUEST_FIELDS[random.nextInt(REQUEST_FIELDS.length)]).append("\r\n");
        }
        int bodyLength = random.nextInt(5) == 0 ? 9000 + random.nextInt(9000) : random.nextInt(40);
        String body = "q".repeat(bodyLength);
        switch (usual ? USUAL_REQUEST_BODIES[random.nextInt(USUAL_REQUEST_BODIES.length)] : random.nextInt(12)) {
            case 0 -> head.append("\r\n"); // no body
            case 1 -> head.append("Content-Length: ").append(bodyLength).append("\r\n\r\n").append(body);
            case 10 -> head.append(chunkedBody(body, random, true));
            case 11 -> head.append(chunkedBody(body, random, false));
            case 2 -> head.append("Content-Length: ").append(bodyLength).append("\r\nContent-Length: ").append(bodyLength + 1)
                    .append("\r\n\r\n").append(body);
            case 3 -> head.append("Content-Length: +").append(bodyLength).append("\r\n\r\n").append(body);
            case 4 -> head.append("Transfer-Encoding: chunked\r\n\r\n").append(Integer.toHexString(bodyLength)).append("\r\n")
                    .append(body).append(bodyLength > 0 ? "\r\n0\r\n\r\n" : "\r\n");
            case 5 -> head.append("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            case 6 -> head.append("content-length:  ").append(bodyLength).append(" \r\n\r\n").append(body);
            case 7 -> head.append("Content-Length: 0").append(bodyLength).append("\r\n\r\n").append(body);
            case 8 -> head.append("transfer-encoding: Chunked\r\n\r\n").append(Integer.toHexString(bodyLength)).append("\r\n")
                    .append(body).append(bodyLength > 0 ? "\r\n0\r\n\r\n" : "\r\n");
            default -> head.append("Content-Length: ").append(bodyLength + 7).append("\r\n\r\n").append(body); // cut short if last
        }
        return head.toString();
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
        int fields = random.nextInt(10) == 0 ? 18 + random.nextInt(6) : random.nextInt(8);
        for (int i = 0; i < fields; i++) {
            head.append(usual ? FIELDS[random.nextInt(5)] : FIELDS[random.nextInt(FIELDS.length)]).append("\r\n");
        }
        int bodyLength = random.nextInt(5) == 0 ? 9000 + random.nextInt(9000) : random.nextInt(40);
        String body = "b".repeat(bodyLength);
        switch (usual ? random.nextInt(3) / 2 * 10 : random.nextInt(12)) {
            case 0, 1 -> head.append("Content-Length: ").append(bodyLength).append("\r\n\r\n").append(body);
            case 10 -> head.append(chunkedBody(body, random, true));
            case 11 -> head.append(chunkedBody(body, random, false));
            case 2 -> head.append("Content-Length: ").append(bodyLength).append("\r\nContent-Length: ").append(bodyLength)
                    .append("\r\n\r\n").append(body);
            case 3 -> head.append("content-length:  +").append(bodyLength).append(" \r\n\r\n").append(body);
            case 4 -> head.append("Content-Length: 0").append(bodyLength).append("\r\n\r\n").append(body);
            case 5 -> head.append("Transfer-Encoding: chunked\r\n\r\n").append(Integer.toHexString(bodyLength)).append("\r\n")
                    .append(body).append(bodyLength > 0 ? "\r\n0\r\n\r\n" : "\r\n");
            case 6 -> head.append("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            case 7 -> head.append("Content-Length: ").append(bodyLength + 7).append("\r\n\r\n").append(body); // cut short if last
            case 8 -> head.append("Content-Length: 1234567890123456789\r\n\r\n"); // 19 digits: Netty's (a HEAD's, or cut short)
            default -> head.append(last ? "\r\n" + body : "Content-Length: 1\r\n\r\nx"); // a body to the connection's end
        }
        return head.toString();
    }

    /**
     * The framing lines of heads with chunked bodies other than the usual one, each ending with the blank line: other
     * spellings of chunked (read in one pass too), other codings, a second Transfer-Encoding, a Content-Length beside it.
     */
    private static final String[] UNUSUAL_CHUNKED = {
        "Transfer-Encoding: Chunked\r\n\r\n", "transfer-encoding:chunked \r\n\r\n", "Transfer-Encoding: gzip, chunked\r\n\r\n",
        "Transfer-Encoding: chunked, gzip\r\n\r\n", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "Transfer-Encoding: chunky\r\n\r\n", "Transfer-Encoding: identity\r\n\r\n", "Transfer-Encoding:\r\n\r\n"};
    /** {@link #chunks}: how the chunks are framed, the common form first, then one unusual part each. */
    private enum Framing {
        AS_SERVERS_SEND, UPPERCASE_HEX, LEADING_ZEROS, AN_EXTENSION, TRAILERS, AN_LF_ALONE_AFTER_A_SIZE,
        AN_LF_ALONE_AFTER_DATA, A_BLANK_AFTER_A_SIZE, EIGHT_HEX_DIGITS, NO_FINAL_CRLF, DATA_LONGER_THAN_ITS_SIZE,
        A_SIZE_NOT_IN_HEX, NO_LAST_CHUNK, A_NEGATIVE_LOOKING_SIZE, A_TRAILER_THAT_FRAMES
    }

    /**
     * The end of a head whose body is chunked, and {@code body} in chunks: as clients and servers usually send it, or
     * else with an unusual framing line or chunk framing (or both usual, half the time for the line).
     */
    private static String chunkedBody(String body, Random random, boolean usual) {
        if (usual) {
            return "Transfer-Encoding: chunked\r\n\r\n" + chunks(body, random, Framing.AS_SERVERS_SEND);
        }
        String framing = random.nextBoolean() ? "Transfer-Encoding: chunked\r\n\r\n" : UNUSUAL_CHUNKED[random.nextInt(UNUSUAL_CHUNKED.length)];
        return framing + chunks(body, random, Framing.values()[random.nextInt(Framing.values().length)]);
    }

    /** {@code body} as chunks of random sizes, framed as {@code form} says. */
    private static String chunks(String body, Random random, Framing form) {
        StringBuilder chunks = new StringBuilder();
        for (int at = 0; at < body.length(); ) {
            int size = Math.min(body.length() - at, 1 + random.nextInt(random.nextBoolean() ? 30 : 5000));
            String hex = Integer.toHexString(size);
            String line = switch (form) {
                case UPPERCASE_HEX -> hex.toUpperCase(Locale.ROOT) + "\r\n";
                case LEADING_ZEROS -> "000" + hex + "\r\n";
                case AN_EXTENSION -> hex + ";name=value\r\n";
                case AN_LF_ALONE_AFTER_A_SIZE -> hex + "\n";
                case A_BLANK_AFTER_A_SIZE -> hex + " \r\n";
                case EIGHT_HEX_DIGITS -> "0000000".substring(0, 8 - Math.min(hex.length(), 8)) + hex + "\r\n";
                case A_SIZE_NOT_IN_HEX -> "x" + hex + "\r\n";
                case A_NEGATIVE_LOOKING_SIZE -> "-" + hex + "\r\n";
                default -> hex + "\r\n";
            };
            String data = body.substring(at, at + size) + (form == Framing.DATA_LONGER_THAN_ITS_SIZE ? "zz" : "");
            chunks.append(line).append(data).append(form == Framing.AN_LF_ALONE_AFTER_DATA ? "\n" : "\r\n");
            at += size;
        }
        return chunks.append(switch (form) {
            case TRAILERS -> "0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n";
            case NO_FINAL_CRLF -> "0\r\n";
            case NO_LAST_CHUNK -> "";
            case A_TRAILER_THAT_FRAMES -> "0\r\nContent-Length: 5\r\n\r\n";
            default -> "0\r\n\r\n";
        }).toString();
    }

    /**
     * What a codec makes of the bytes, fed whole or in pieces cut where the seed says, then the end of the
     * connection: each message, with its headers, each piece of content with its size, each failure.
     */
    private static List<String> decode(Supplier<? extends ChannelHandler> codec, List<HttpMethod> methods, byte[] bytes, int seed) {
        EmbeddedChannel channel = new EmbeddedChannel(codec.get());
        for (HttpMethod method : methods) {
            channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        }
        for (Object written; (written = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(written);
        }
        Random cuts = new Random(seed);
        boolean whole = cuts.nextInt(4) == 0;
        List<String> events = new ArrayList<>();
        for (int at = 0; at < bytes.length; ) {
            int piece = whole ? bytes.length : Math.min(bytes.length - at, cuts.nextInt(4) == 0 ? 1 : 1 + cuts.nextInt(600));
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, piece));
            at += piece;
            drain(channel, events);
        }
        channel.finish();
        drain(channel, events);
        channel.finishAndReleaseAll();
        return events;
    }

    private static void drain(EmbeddedChannel channel, List<String> events) {
        for (Object message; (message = channel.readInbound()) != null; ) {
            if (message instanceof HttpRequest request) {
                events.add("request " + request.method() + " " + request.uri() + " " + request.protocolVersion() + " "
                        + headers(request.headers()) + " " + request.decoderResult().isSuccess());
            }
            if (message instanceof HttpResponse response) {
                events.add("response " + response.protocolVersion() + " " + response.status() + " " + headers(response.headers())
                        + " " + response.decoderResult().isSuccess());
            }
            if (message instanceof HttpMessage head) {
                Recyclable.recycle(head); // as the frontend hands heads back: the next head may refill this one
            }
            if (message instanceof HttpContent content) {
                String text = content.content().toString(StandardCharsets.ISO_8859_1);
                events.add((content instanceof LastHttpContent end ? "end " + headers(end.trailingHeaders()) : "content")
                        + " " + text.length() + " " + text.hashCode()
                        + (content.decoderResult().isFailure() ? " failed " + content.decoderResult().cause().getClass().getSimpleName() : ""));
            } else if (message instanceof ByteBuf raw) {
                events.add("raw " + raw.toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(message);
            if (message instanceof HttpContent content) {
                Recyclable.recycle(content); // as the frontend hands pieces back once written: the next may refill it
            }
        }
    }

    private static List<String> headers(io.netty.handler.codec.http.HttpHeaders headers) {
        List<String> lines = new ArrayList<>();
        headers.iteratorCharSequence().forEachRemaining(h -> lines.add(h.getKey() + "=" + h.getValue()));
        return lines;
    }
}
