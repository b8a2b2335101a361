package dev.berth.proxy.http;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One head read in one pass, as the codecs read the heads of a kept-alive connection: NGINX's response to a static
 * file and Chrome's request for a page, each value the same as the previous head's (NGINX's Date changes once a
 * second). Run with {@code -prof gc} for the garbage. (In the proxy's package, whose readers are package-private.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dio.netty.leakDetection.level=disabled"})
public class CommonHeadBenchmark {
    private static final String NGINX_RESPONSE = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
            + "Date: Fri, 27 Nov 2026 23:00:00 GMT\r\nContent-Type: application/octet-stream\r\nContent-Length: 1024\r\n"
            + "Last-Modified: Fri, 27 Nov 2026 20:00:00 GMT\r\nConnection: keep-alive\r\nETag: \"6927a8c0-400\"\r\n"
            + "Accept-Ranges: bytes\r\n\r\n";
    private static final String CHROME_REQUEST = "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nConnection: keep-alive\r\n"
            + "sec-ch-ua: \"Chromium\";v=\"130\", \"Google Chrome\";v=\"130\", \"Not?A_Brand\";v=\"99\"\r\n"
            + "sec-ch-ua-mobile: ?0\r\nsec-ch-ua-platform: \"Linux\"\r\nUpgrade-Insecure-Requests: 1\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8\r\n"
            + "Sec-Fetch-Site: none\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-User: ?1\r\nSec-Fetch-Dest: document\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-US,en;q=0.9\r\n"
            + "Cookie: session=5f2b9c0e1d7a4b3c8e6f; theme=dark; _ga=GA1.1.123456789.1732700000\r\n\r\n";

    @Param({"response", "request"})
    public String head;

    private CommonHead reader;
    private byte[] bytes;

    @Setup
    public void read() {
        boolean response = head.equals("response");
        reader = response ? new CommonResponseHead(HttpDecoding.config()) : new CommonRequestHead(HttpDecoding.config());
        bytes = (response ? NGINX_RESPONSE : CHROME_REQUEST).getBytes(StandardCharsets.US_ASCII);
        if (!reader.read(bytes, bytes.length)) {
            throw new IllegalStateException("not a common head: " + head);
        }
    }

    @Benchmark
    public CompactHttpHeaders readAgain() {
        reader.read(bytes, bytes.length);
        return reader.headers();
    }
}
