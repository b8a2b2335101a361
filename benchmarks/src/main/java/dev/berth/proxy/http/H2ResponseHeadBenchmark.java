package dev.berth.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One response head, as NGINX sends a static file's and Berth's upstream codec decodes it, made into the headers of an
 * h2 HEADERS frame for a downstream h2 stream: Berth's {@link H2ResponseHead} against Netty's
 * {@code HttpConversionUtil.toHttp2Headers}, which it replaced. Run with {@code -prof gc} for the garbage of each.
 * (In the proxy's package, whose conversion is package-private; the benchmarks jar is on the class path.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Dio.netty.leakDetection.level=disabled"})
public class H2ResponseHeadBenchmark {
    private static final String NGINX_HEAD = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
            + "Date: Fri, 27 Nov 2026 23:00:00 GMT\r\nContent-Type: application/octet-stream\r\nContent-Length: 1024\r\n"
            + "Last-Modified: Fri, 27 Nov 2026 20:00:00 GMT\r\nETag: \"6927a8c0-400\"\r\nAccept-Ranges: bytes\r\n\r\n";

    private HttpResponse response;

    @Setup
    public void decode() {
        EmbeddedChannel upstream = new EmbeddedChannel(HttpDecoding.clientCodec());
        upstream.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/1k.bin"));
        for (Object written; (written = upstream.readOutbound()) != null; ) {
            ReferenceCountUtil.release(written);
        }
        upstream.writeInbound(Unpooled.copiedBuffer(NGINX_HEAD, StandardCharsets.US_ASCII));
        response = upstream.readInbound();
        HopByHopHeaders.remove(response.headers(), false); // as the frontend does before it writes the head down
        upstream.finishAndReleaseAll();
    }

    @Benchmark
    public Http2Headers berth() {
        return H2ResponseHead.of(response);
    }

    @Benchmark
    public Http2Headers netty() {
        return HttpConversionUtil.toHttp2Headers(response, false);
    }
}
