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
 * One 1 KiB upload decoded by a downstream connection's codec ({@link DownstreamHttpCodec}) and its messages handed
 * back as the frontend hands them back, then answered (an empty response, which the codec pairs with the request): a
 * client that knows its body's length ({@code length}: Content-Length) and one that streams it ({@code chunked}:
 * Transfer-Encoding, one chunk and the last, as Go's and Java's clients send a body read from a stream). On an
 * {@code EmbeddedChannel}, whose own cost and the answer's are the same for both. Run with {@code -prof gc} for the
 * garbage.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dio.netty.leakDetection.level=disabled"})
public class RequestDecodingBenchmark {
    private static final int BODY = 1024;
    private static final String HEAD = "POST /api/items HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: Go-http-client/1.1\r\n"
            + "Content-Type: application/json\r\nAccept-Encoding: gzip\r\n";

    /** {@code length} (Content-Length) or {@code chunked} (Transfer-Encoding: chunked). */
    @Param({"length", "chunked"})
    public String body;

    private EmbeddedChannel downstream;
    private ByteBuf request;
    private final FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);

    @Setup
    public void start() {
        String framing = body.equals("chunked") ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(BODY) + "\r\n"
                : "Content-Length: " + BODY + "\r\n\r\n";
        byte[] head = (HEAD + framing).getBytes(StandardCharsets.US_ASCII);
        byte[] end = body.equals("chunked") ? "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[0];
        request = Unpooled.directBuffer(head.length + BODY + end.length)
                .writeBytes(head).writeBytes(new byte[BODY]).writeBytes(end);
        answer.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        downstream = new EmbeddedChannel(new DownstreamHttpCodec(HttpDecoding.config()));
        int messages = decodeOne();
        if (messages != (body.equals("chunked") ? 3 : 2)) { // the head, the body with its end; or the head, a chunk, the end
            throw new IllegalStateException(body + ": " + messages + " messages");
        }
    }

    @TearDown
    public void stop() {
        downstream.finishAndReleaseAll();
        request.release();
        answer.release();
    }

    @Benchmark
    public int decodeOne() {
        downstream.writeInbound(request.retainedDuplicate());
        int messages = 0;
        for (Object message; (message = downstream.readInbound()) != null; messages++) {
            ReferenceCountUtil.release(message);
            Recyclable.recycle((HttpObject) message);
        }
        downstream.writeOutbound(answer.retainedDuplicate());
        ReferenceCountUtil.release(downstream.readOutbound());
        return messages;
    }
}
