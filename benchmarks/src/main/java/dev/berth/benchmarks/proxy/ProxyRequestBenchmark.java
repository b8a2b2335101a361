package dev.berth.benchmarks.proxy;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.HttpRoute.PathType;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.http.DataPlane;
import dev.berth.proxy.transport.TransportChoice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * One HTTP/1.1 keep-alive request and its 1 KiB response through Berth's {@link DataPlane} (one event loop), on
 * loopback, from a blocking client to a blocking canned backend that both reuse their buffers. Its purpose is
 * {@code -prof gc}: JMH's {@code gc.alloc.rate.norm} counts the allocations of every thread in the JVM, so
 * {@code proxied} minus {@code direct} (the same exchange without the proxy: what the harness itself allocates) is
 * the garbage Berth makes per request, which issue 7 wants at zero beyond Netty's pooled buffers. Netty's leak
 * detector is off, as {@code berth run} has it (its sampled trace records were ~100 B of every request here).
 * {@code proxiedNewConnection} opens a connection for each request, as {@code Connection: close} clients and
 * health checkers do (the proxy keeps its upstream connection); the client's {@code Socket} objects are the
 * harness's share of its figure. The time per
 * operation is a loopback round trip with three threads on shared cores, not a throughput claim; that is
 * {@code ./berth bench}'s job, against HAProxy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Dio.netty.leakDetection.level=disabled"})
public class ProxyRequestBenchmark {
    private static final int BODY = 1024;
    /** What a load generator or a script sends: three headers. */
    private static final String MINIMAL = "GET /1k.bin HTTP/1.1\r\nHost: bench.example.com\r\nUser-Agent: jmh\r\n"
            + "Accept: */*\r\n\r\n";
    /** What a browser sends for a page (Chrome's header set): most of an ingress's requests carry this many. */
    private static final String BROWSER = "GET /1k.bin HTTP/1.1\r\nHost: bench.example.com\r\nConnection: keep-alive\r\n"
            + "sec-ch-ua: \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"\r\nsec-ch-ua-mobile: ?0\r\n"
            + "sec-ch-ua-platform: \"Linux\"\r\nUpgrade-Insecure-Requests: 1\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
            + "Sec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-User: ?1\r\nSec-Fetch-Dest: document\r\n"
            + "Referer: http://bench.example.com/\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\nCookie: session=5f2b9c0e7a1d4e3f\r\n\r\n";

    /** The transport, as {@code --transport} takes it. */
    @Param({"epoll"})
    public String transport;

    /** The request's shape: {@code minimal} (three headers) or {@code browser} (Chrome's sixteen). */
    @Param({"minimal"})
    public String request;

    private CannedBackend backend;
    private DataPlane plane;
    private Client proxied;
    private Client direct;
    private final byte[] buffer = new byte[16 * 1024];
    private byte[] requestBytes;

    @Setup(Level.Trial)
    public void start() throws Exception {
        backend = new CannedBackend(BODY);
        plane = DataPlane.start(new DataPlane.Settings(TransportChoice.choose(transport),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1, java.time.Duration.ofSeconds(3),
                java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(60), 1024, List.of(), false));
        Backend files = new Backend("bench/files:http", Backend.Protocol.HTTP, "round-robin",
                List.of(new Endpoint(backend.address(), 1, null)));
        plane.apply(new ProxyConfig(1, List.of(new HttpRoute("bench.example.com", PathType.PREFIX, "/", files.name(),
                "bench", 0)), Optional.empty(), Map.of(files.name(), files)));
        requestBytes = (request.equals("browser") ? BROWSER : MINIMAL).getBytes(StandardCharsets.US_ASCII);
        proxied = new Client(plane.httpAddress(), requestBytes, new byte[16 * 1024]);
        direct = new Client(backend.address(), requestBytes, new byte[16 * 1024]);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        proxied.close();
        direct.close();
        plane.close();
        backend.close();
    }

    @Benchmark
    public int proxied() throws IOException {
        return proxied.exchange();
    }

    @Benchmark
    public int direct() throws IOException {
        return direct.exchange();
    }

    /** A new connection for one request, as {@code Connection: close} clients and health checkers do. */
    @Benchmark
    public int proxiedNewConnection() throws IOException {
        try (Client client = new Client(plane.httpAddress(), requestBytes, buffer)) {
            return client.exchange();
        }
    }


    /** A keep-alive client that sends one request over and over and reads each response into one reused array. */
    private static final class Client implements AutoCloseable {
        private final byte[] request;
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buffer;

        Client(InetSocketAddress address, byte[] request, byte[] buffer) throws IOException {
            this.request = request;
            this.buffer = buffer;
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(5_000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        /** Returns the bytes read: the head, parsed for Content-Length without allocating, and the body. */
        int exchange() throws IOException {
            out.write(request);
            int filled = 0;
            int headEnd = -1;
            while (headEnd < 0) {
                int read = in.read(buffer, filled, buffer.length - filled);
                if (read < 0) {
                    throw new IOException("closed before the response head ended");
                }
                filled += read;
                headEnd = CannedBackend.headEnd(buffer, filled);
            }
            int total = headEnd + contentLength(buffer, headEnd);
            while (filled < total) {
                int read = in.read(buffer, filled, Math.min(buffer.length - filled, total - filled));
                if (read < 0) {
                    throw new IOException("closed before the body ended");
                }
                filled += read;
            }
            return filled;
        }

        private static final byte[] CONTENT_LENGTH = "\ncontent-length:".getBytes(StandardCharsets.US_ASCII);

        private static int contentLength(byte[] head, int end) {
            byte[] name = CONTENT_LENGTH;
            outer:
            for (int i = 0; i + name.length < end; i++) {
                for (int j = 0; j < name.length; j++) {
                    if (Character.toLowerCase(head[i + j]) != name[j]) {
                        continue outer;
                    }
                }
                int value = 0;
                for (int k = i + name.length; k < end && head[k] != '\r'; k++) {
                    if (head[k] >= '0' && head[k] <= '9') {
                        value = value * 10 + head[k] - '0';
                    }
                }
                return value;
            }
            throw new IllegalStateException("no Content-Length in the response");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A backend answering every request on a connection with the same 200 response, from one reused array. */
    private static final class CannedBackend implements AutoCloseable {
        private final ServerSocket server;
        private final byte[] response;

        CannedBackend(int bodySize) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            byte[] head = ("HTTP/1.1 200 OK\r\nServer: canned\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + bodySize + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            response = new byte[head.length + bodySize];
            System.arraycopy(head, 0, response, 0, head.length);
            Thread.ofPlatform().daemon().name("canned-backend-accept").start(this::accept);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket connection = server.accept();
                    connection.setTcpNoDelay(true);
                    Thread.ofPlatform().daemon().name("canned-backend").start(() -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        /** Requests have no body here: each ends at its blank line, and pipelined ones are answered in turn. */
        private void serve(Socket connection) {
            byte[] buffer = new byte[16 * 1024];
            try (connection) {
                InputStream in = connection.getInputStream();
                OutputStream out = connection.getOutputStream();
                int filled = 0;
                while (true) {
                    int end;
                    while ((end = headEnd(buffer, filled)) < 0) {
                        int read = in.read(buffer, filled, buffer.length - filled);
                        if (read < 0) {
                            return;
                        }
                        filled += read;
                    }
                    out.write(response);
                    System.arraycopy(buffer, end, buffer, 0, filled - end);
                    filled -= end;
                }
            } catch (IOException e) {
                // the proxy or the client went away: the trial is over
            }
        }

        /** The index just past the first CRLFCRLF in {@code bytes[0, length)}, or -1. */
        static int headEnd(byte[] bytes, int length) {
            for (int i = 3; i < length; i++) {
                if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                    return i + 1;
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
