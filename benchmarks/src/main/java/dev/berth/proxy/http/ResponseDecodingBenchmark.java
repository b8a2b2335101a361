package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
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
 * One 1 KiB response decoded by an upstream connection's codec ({@link UpstreamHttpCodec}) and its messages handed
 * back as the frontend hands them back, the way a kept-alive upstream connection decodes response after response:
 * NGINX's answer for a static file ({@code length}: Content-Length) and for the same bytes as a dynamic page
 * ({@code chunked}: Transfer-Encoding, one chunk and the last, what an application server streaming its output sends).
 * On an {@code EmbeddedChannel}, whose own cost is the same for both. Run with {@code -prof gc} for the garbage.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dio.netty.leakDetection.level=disabled"})
public class ResponseDecodingBenchmark {
    private static final int BODY = 1024;
    private static final String HEAD = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 27 Nov 2026 23:00:00 GMT\r\n"
            + "Content-Type: text/html\r\nConnection: keep-alive\r\n";

    /** {@code length} (Content-Length) or {@code chunked} (Transfer-Encoding: chunked). */
    @Param({"length", "chunked"})
    public String body;

    private EmbeddedChannel upstream;
    private ByteBuf response;

    @Setup
    public void start() {
        String framing = body.equals("chunked") ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(BODY) + "\r\n"
                : "Content-Length: " + BODY + "\r\n\r\n";
        byte[] head = (HEAD + framing).getBytes(StandardCharsets.US_ASCII);
        byte[] end = body.equals("chunked") ? "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[0];
        response = Unpooled.directBuffer(head.length + BODY + end.length)
                .writeBytes(head).writeBytes(new byte[BODY]).writeBytes(end);
        upstream = new EmbeddedChannel(new UpstreamHttpCodec(HttpDecoding.config()));
        int messages = decodeOne();
        if (messages != (body.equals("chunked") ? 3 : 2)) { // the head, the body with its end; or the head, a chunk, the end
            throw new IllegalStateException(body + ": " + messages + " messages");
        }
    }

    @TearDown
    public void stop() {
        upstream.finishAndReleaseAll();
        response.release();
    }

    @Benchmark
    public int decodeOne() {
        upstream.writeInbound(response.retainedDuplicate());
        int messages = 0;
        for (Object message; (message = upstream.readInbound()) != null; messages++) {
            ReferenceCountUtil.release(message);
            Recyclable.recycle((HttpObject) message);
        }
        return messages;
    }
}
