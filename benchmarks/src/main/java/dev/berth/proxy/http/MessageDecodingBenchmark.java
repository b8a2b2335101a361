package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One message with a 1 KiB body decoded by a connection's codec and its messages handed back as the frontend hands
 * them back, the way a kept-alive connection decodes message after message: a {@code response} by an upstream
 * connection's codec ({@link UpstreamHttpCodec}; NGINX's answer for a file), or a {@code request} by a downstream
 * connection's ({@link DownstreamHttpCodec}; a POST as Go's client sends it), which is then answered with an empty
 * 204, as the codec pairs every request with its response. Its body framed by a Content-Length ({@code length}) or
 * chunked ({@code chunked}: one chunk and the last, what an application server streaming its output sends, or a
 * client a body read from a stream). On an {@code EmbeddedChannel}, whose own cost, and the request's answer, are the
 * same for both framings. Run with {@code -prof gc} for the garbage.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dio.netty.leakDetection.level=disabled"})
public class MessageDecodingBenchmark {
    private static final int BODY = 1024;
    private static final String RESPONSE_HEAD = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 27 Nov 2026 23:00:00 GMT\r\n"
            + "Content-Type: text/html\r\nConnection: keep-alive\r\n";
    private static final String REQUEST_HEAD = "POST /api/items HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: Go-http-client/1.1\r\n"
            + "Content-Type: application/json\r\nAccept-Encoding: gzip\r\n";

    /** {@code response} (through {@link UpstreamHttpCodec}) or {@code request} (through {@link DownstreamHttpCodec}). */
    @Param({"response", "request"})
    public String message;

    /** {@code length} (Content-Length) or {@code chunked} (Transfer-Encoding: chunked). */
    @Param({"length", "chunked"})
    public String body;

    private EmbeddedChannel connection;
    private ByteBuf bytes;
    /** The request's answer; null for a response. */
    private FullHttpResponse answer;

    @Setup
    public void start() {
        boolean request = message.equals("request");
        String framing = body.equals("chunked") ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(BODY) + "\r\n"
                : "Content-Length: " + BODY + "\r\n\r\n";
        byte[] head = ((request ? REQUEST_HEAD : RESPONSE_HEAD) + framing).getBytes(StandardCharsets.US_ASCII);
        byte[] end = body.equals("chunked") ? "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[0];
        bytes = Unpooled.directBuffer(head.length + BODY + end.length).writeBytes(head).writeBytes(new byte[BODY]).writeBytes(end);
        if (request) {
            answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            answer.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        connection = new EmbeddedChannel(request ? new DownstreamHttpCodec(HttpDecoding.config()) : new UpstreamHttpCodec(HttpDecoding.config()));
        int messages = decodeOne();
        if (messages != (body.equals("chunked") ? 3 : 2)) { // the head, the body with its end; or the head, a chunk, the end
            throw new IllegalStateException(message + ", " + body + ": " + messages + " messages");
        }
    }

    @TearDown
    public void stop() {
        connection.finishAndReleaseAll();
        bytes.release();
        ReferenceCountUtil.release(answer);
    }

    @Benchmark
    public int decodeOne() {
        connection.writeInbound(bytes.retainedDuplicate());
        int messages = 0;
        for (Object decoded; (decoded = connection.readInbound()) != null; messages++) {
            ReferenceCountUtil.release(decoded);
            Recyclable.recycle((HttpObject) decoded);
        }
        if (answer != null) {
            connection.writeOutbound(answer.retainedDuplicate());
            ReferenceCountUtil.release(connection.readOutbound());
        }
        return messages;
    }
}
