package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.HttpRoute.PathType;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.transport.Transport;
import dev.berth.proxy.transport.TransportChoice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The HTTP data plane end to end: real sockets, a real upstream server, curl as the client. On both native transports:
 * epoll is what {@code --transport auto} takes, io_uring what {@code --transport io_uring} does.
 */
@ParameterizedClass
@EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING"})
class DataPlaneTest {
    @Parameter
    Transport transport;

    @TempDir
    Path scratch;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private EchoBackend alpha;
    private EchoBackend beta;
    private DataPlane plane;
    private String base;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(transport.unavailabilityCause().isEmpty(), () -> transport + " is not available here");
        alpha = closing(new EchoBackend("alpha"));
        beta = closing(new EchoBackend("beta"));
        DataPlane.Settings settings = new DataPlane.Settings(TransportChoice.choose(transport.cliName()), new InetSocketAddress("127.0.0.1", 0),
                1, Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ofSeconds(30), 8, List.of(), false);
        plane = DataPlane.start(settings);
        base = "http://127.0.0.1:" + plane.httpAddress().getPort();
        plane.apply(config(Map.of("shop/alpha:http", List.of(alpha.address()), "shop/beta:http", List.of(beta.address()),
                "shop/empty:http", List.of()),
                route("shop.example.com", PathType.PREFIX, "/", "shop/alpha:http"),
                route("shop.example.com", PathType.PREFIX, "/beta", "shop/beta:http"),
                route("shop.example.com", PathType.EXACT, "/empty", "shop/empty:http")));
    }

    @AfterEach
    void stop() throws Exception {
        plane.close();
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    static HttpRoute route(String host, PathType type, String path, String backend) {
        return new HttpRoute(host, type, path, backend, "test " + host + path, 0);
    }

    static ProxyConfig config(Map<String, List<InetSocketAddress>> backends, HttpRoute... routes) {
        Map<String, Backend> byName = new HashMap<>();
        backends.forEach((name, addresses) -> byName.put(name, new Backend(name, Backend.Protocol.HTTP, "round-robin",
                addresses.stream().map(address -> new Endpoint(address, 1, null)).toList())));
        return new ProxyConfig(1, List.of(routes), Optional.empty(), byName);
    }

    private Curl.Result get(String path, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-H", "Host: shop.example.com"));
        args.addAll(List.of(extra));
        args.add(base + path);
        return Curl.run(args.toArray(String[]::new));
    }

    @Test
    void routesByHostAndPath() throws Exception {
        Curl.Result root = get("/cart?id=7");
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.body()).contains("backend=alpha", "uri=/cart?id=7", "method=GET");
        assertThat(get("/beta/x").body()).contains("backend=beta");
    }

    @Test
    void aPortInUseIsRefusedSayingSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DataPlane.Settings settings = DataPlane.Settings.defaults(TransportChoice.choose(transport.cliName()),
                    new InetSocketAddress("127.0.0.1", taken.getLocalPort()));

            assertThatThrownBy(() -> DataPlane.start(settings).close())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--http 127.0.0.1:" + taken.getLocalPort() + ": cannot listen: ")
                    .hasMessageEndingWith("(expected: a free address this host owns)");
        }
    }

    @Test
    void noRouteIs404() throws Exception {
        Curl.Result result = Curl.run("-H", "Host: elsewhere.example.com", base + "/");
        assertThat(result.status()).isEqualTo(404);
        assertThat(result.body()).isEqualTo("404 Not Found\n");
    }

    @Test
    void noEndpointIs503() throws Exception {
        assertThat(get("/empty").status()).isEqualTo(503);
    }

    @Test
    void refusedConnectionIs502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        plane.apply(config(Map.of("shop/gone:http", List.of(new InetSocketAddress("127.0.0.1", closedPort))),
                route("shop.example.com", PathType.PREFIX, "/", "shop/gone:http")));
        assertThat(get("/").status()).isEqualTo(502);
    }

    @Test
    void silentUpstreamIs504() throws Exception {
        ServerSocket silent = closing(new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress()));
        plane.apply(config(Map.of("shop/silent:http", List.of(new InetSocketAddress("127.0.0.1", silent.getLocalPort()))),
                route("shop.example.com", PathType.PREFIX, "/", "shop/silent:http")));
        assertThat(get("/").status()).isEqualTo(504);
    }

    @Test
    void hopByHopHeadersGoAndForwardedHeadersCome() throws Exception {
        Curl.Result result = get("/", "-H", "Connection: keep-alive, X-Secret", "-H", "X-Secret: 1", "-H", "Keep-Alive: timeout=5",
                "-H", "X-Forwarded-For: 203.0.113.66", "-H", "Proxy-Authorization: Basic Zm9v", "-H", "TE: gzip");
        assertThat(result.body())
                .doesNotContain("x-secret", "keep-alive", "proxy-authorization", "te: ", "203.0.113.66")
                .contains("host: shop.example.com", "x-forwarded-for: 127.0.0.1", "x-forwarded-proto: http",
                        "x-forwarded-host: shop.example.com", "x-forwarded-port: " + plane.httpAddress().getPort(),
                        "forwarded: for=127.0.0.1;proto=http;host=\"shop.example.com\"");
    }

    @Test
    void theH2ConversionsBookkeepingHeadersFromAnHttp1ClientStayHere() throws Exception {
        Curl.Result result = get("/", "-H", "X-Http2-Path: /admin", "-H", "x-http2-stream-id: 3", "-H", "X-Http2-Other: kept");
        assertThat(result.body()).doesNotContain("x-http2-path", "/admin", "x-http2-stream-id").contains("x-http2-other: kept");
    }

    @Test
    void chunkedTrailersPassBothWays() throws Exception {
        ServerSocket raw = rawRoute();
        var received = new java.util.concurrent.CompletableFuture<String>();
        Thread backend = rawBackend(raw, DataPlaneTest::readChunkedMessage, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\nX-Resp-A: 1\r\nX-Resp-B: 2\r\nX-Resp-C: 3\r\n\r\n", received);
        try (Socket client = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(("POST /t HTTP/1.1\r\nHost: shop.example.com\r\nTransfer-Encoding: chunked\r\n"
                    + "TE: trailers\r\n\r\n5\r\nhello\r\n0\r\nX-Req-A: 1\r\nX-Req-B: 2\r\nX-Req-C: 3\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = readChunkedMessage(client.getInputStream());
            // more trailers than the decoders' small trailer tables start with (HttpDecoding), each way
            assertThat(received.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .contains("\r\n0\r\n").containsIgnoringCase("x-req-a: 1").containsIgnoringCase("x-req-b: 2")
                    .containsIgnoringCase("x-req-c: 3");
            assertThat(response).startsWith("HTTP/1.1 200 OK").contains("hello")
                    .containsIgnoringCase("x-resp-a: 1").containsIgnoringCase("x-resp-b: 2").containsIgnoringCase("x-resp-c: 3");
            assertThat(response.substring(response.indexOf("\r\n0\r\n"))).containsIgnoringCase("x-resp-c: 3");
        }
        backend.join(10_000);
    }

    /** A small chunked upload sent in one write: read with its head in one pass, forwarded chunk by chunk. */
    @Test
    void aSmallChunkedUploadReachesTheBackendChunkByChunk() throws Exception {
        ServerSocket raw = rawRoute();
        var received = new java.util.concurrent.CompletableFuture<String>();
        Thread backend = rawBackend(raw, DataPlaneTest::readChunkedMessage, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", received);
        try (Socket client = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(("POST /t HTTP/1.1\r\nHost: shop.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String request = received.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(request).containsIgnoringCase("transfer-encoding: chunked").doesNotContainIgnoringCase("content-length")
                    .endsWith("\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
            assertThat(readUntil(client.getInputStream(), "\r\n\r\nok")).startsWith("HTTP/1.1 200 OK");
        }
        backend.join(10_000);
    }

    /** "Connection: content-length" must not strip the body's framing: the body would reach the backend as a request. */
    @Test
    void aConnectionHeaderCannotUnframeTheBody() throws Exception {
        ServerSocket raw = rawRoute();
        String smuggled = "GET /admin HTTP/1.1\r\nHost: shop.example.com\r\n\r\n";
        var received = new java.util.concurrent.CompletableFuture<String>();
        Thread backend = rawBackend(raw, in -> readUntil(in, "/admin"), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", received);
        try (Socket client = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(("POST /form HTTP/1.1\r\nHost: shop.example.com\r\nConnection: Content-Length, Host\r\n"
                    + "Content-Length: " + smuggled.length() + "\r\n\r\n" + smuggled).getBytes(StandardCharsets.US_ASCII));
            String request = received.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(request).containsIgnoringCase("content-length: " + smuggled.length())
                    .containsIgnoringCase("host: shop.example.com").doesNotContainIgnoringCase("transfer-encoding");
        }
        backend.join(10_000);
    }

    @Test
    void aMalformedRequestIsRefusedAndItsConnectionClosed() throws Exception {
        String answer = answerToTheClose("POST /form HTTP/1.1\r\nHost: shop.example.com\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Length: 5\r\n\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 ").containsIgnoringCase("connection: close");
    }

    @Test
    void aConnectIsRefusedAndGoesNoFurther() throws Exception {
        // what a forward-proxy client sends: the CONNECT, then at once its tunnel's first bytes (a TLS record)
        String answer = answerToTheClose("CONNECT shop.example.com:443 HTTP/1.1\r\nHost: shop.example.com:443\r\n\r\n"
                + "\u0016\u0003\u0001\u0000\u0005hello");
        assertThat(answer).startsWith("HTTP/1.1 501 ").containsIgnoringCase("connection: close");
        assertThat(alpha.requestsSeen() + beta.requestsSeen()).isZero();
    }

    /** Bytes sent behind an Upgrade request before the 101 were parsed as HTTP: no tunnel can carry them as sent. */
    @Test
    void aClientThatSendsBeforeTheSwitchIsClosedNotTunnelled() throws Exception {
        ServerSocket raw = rawRoute();
        var received = new java.util.concurrent.CompletableFuture<String>();
        Thread backend = rawBackend(raw, in -> readUntil(in, "\r\n\r\n"),
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", received);
        String answer = answerToTheClose("GET /chat HTTP/1.1\r\nHost: shop.example.com\r\nConnection: Upgrade\r\n"
                + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: shop.example.com\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 101 ");
        assertThat(received.get(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("GET /chat ");
        backend.join(10_000);
        assertThat(backend.isAlive()).as("the upstream connection is closed too").isFalse();
    }

    /**
     * A target with bytes beyond ASCII (a browser percent-encodes them, some clients send UTF-8 raw) goes up byte for
     * byte: Netty's decoder reads each byte as one char, so encoding the chars as UTF-8 again would send other bytes.
     */
    @Test
    void aTargetWithBytesBeyondAsciiGoesUpAsItCame() throws Exception {
        ServerSocket raw = rawRoute();
        var received = new java.util.concurrent.CompletableFuture<String>();
        Thread backend = rawBackend(raw, in -> readUntil(in, "\r\n\r\n"), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", received);
        String target = "/caf\u00c3\u00a9?q=\u00e9"; // one char per byte: "café" in UTF-8, then a Latin-1 byte
        try (Socket client = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: shop.example.com\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readSizedResponse(client.getInputStream())).startsWith("HTTP/1.1 200 ");
            assertThat(received.get(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("GET " + target + " HTTP/1.1\r\n");
        }
        backend.join(10_000);
    }

    /** Sends {@code request} (one byte per char) on a new connection and returns what comes back until the proxy closes it. */
    private String answerToTheClose(String request) throws IOException {
        try (Socket client = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** A listening socket, to be a raw backend, to which the routing now sends every request for shop.example.com. */
    private ServerSocket rawRoute() throws Exception {
        ServerSocket raw = closing(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
        plane.apply(config(Map.of("shop/raw:http", List.of(new InetSocketAddress("127.0.0.1", raw.getLocalPort()))),
                route("shop.example.com", PathType.PREFIX, "/", "shop/raw:http")));
        return raw;
    }

    /** How a raw backend reads the request it is sent. */
    interface RequestReader {
        String read(InputStream in) throws IOException;
    }

    /**
     * A backend of one connection on {@code raw}: reads what the proxy sends with {@code reader}, reports it to
     * {@code received}, answers {@code response} and holds the connection until the proxy lets go of it.
     */
    static Thread rawBackend(ServerSocket raw, RequestReader reader, String response,
            java.util.concurrent.CompletableFuture<String> received) {
        return Thread.ofVirtual().start(() -> {
            try (Socket upstream = raw.accept()) {
                received.complete(reader.read(upstream.getInputStream()));
                upstream.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
                upstream.getOutputStream().flush();
                upstream.getInputStream().read();
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        });
    }

    /** Reads until {@code marker} has arrived (or the stream ends), in whatever form the bytes come. */
    static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        int read;
        while (text.indexOf(marker) < 0 && (read = in.read(buffer)) >= 0) {
            text.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    /** Reads a chunked message whole: its head, its chunks, its last chunk and trailers up to the empty line. */
    private static String readChunkedMessage(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (true) {
            int head = text.indexOf("\r\n\r\n");
            int last = head < 0 ? -1 : text.indexOf("\r\n0\r\n", head);
            if (last >= 0 && text.indexOf("\r\n\r\n", last + 2) >= 0) {
                return text.toString();
            }
            int read = in.read(buffer);
            if (read < 0) {
                throw new IOException("closed before the message ended: " + text);
            }
            text.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void keepAliveReusesOneUpstreamConnection() throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            urls.add(base + "/n" + i);
        }
        List<String> args = new ArrayList<>(List.of("-H", "Host: shop.example.com", "-o", "/dev/null"));
        args.addAll(urls);
        Curl.Result result = Curl.run(args.toArray(String[]::new));
        assertThat(result.exit()).isZero();
        assertThat(alpha.connectionsSeen()).isEqualTo(1);
    }

    @Test
    void aKeptConnectionsNextExchangeCarriesNothingOfThePreviousOne() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /first HTTP/1.1\r\nHost: shop.example.com\r\nX-First: yes\r\nCookie: a=1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String first = readSizedResponse(in);
            out.write("GET /status/204 HTTP/1.1\r\nHost: shop.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String second = readSizedResponse(in);
            out.write("GET /third HTTP/1.1\r\nHost: shop.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String third = readSizedResponse(in);

            assertThat(first).contains("uri=/first", "x-first: yes", "cookie: a=1");
            assertThat(second).startsWith("HTTP/1.1 204").doesNotContainIgnoringCase("content-type");
            assertThat(third).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/plain")
                    .contains("uri=/third").doesNotContain("x-first", "cookie");
            assertThat(alpha.connectionsSeen()).isEqualTo(1);
        }
    }

    /** Reads one response whose body ends where its Content-Length says (no header: no body), and no more. */
    static String readSizedResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the response head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    @Test
    void uploadsStreamThroughIntact() throws Exception {
        byte[] data = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(data);
        Path file = Files.write(scratch.resolve("upload.bin"), data);
        String expected = EchoBackend.sha256(new java.io.ByteArrayInputStream(data));
        assertThat(get("/sha256", "--data-binary", "@" + file).body()).isEqualTo(expected);
        assertThat(get("/sha256", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file).body()).isEqualTo(expected);
    }

    @Test
    void largeDownloadArrivesWhole() throws Exception {
        long size = 64L * 1024 * 1024;
        Curl.Result result = get("/bytes/" + size, "-o", scratch.resolve("download.bin").toString());
        assertThat(result.status()).isEqualTo(200);
        assertThat(Files.size(scratch.resolve("download.bin"))).isEqualTo(size);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String requests = "GET /one HTTP/1.1\r\nHost: shop.example.com\r\n\r\n"
                    + "GET /beta/two HTTP/1.1\r\nHost: shop.example.com\r\n\r\n"
                    + "GET /three HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n";
            out.write(requests.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String responses = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(responses.split("HTTP/1.1 200 OK", -1)).hasSize(4);
            assertThat(responses.indexOf("uri=/one")).isLessThan(responses.indexOf("uri=/beta/two"));
            assertThat(responses.indexOf("uri=/beta/two")).isLessThan(responses.indexOf("uri=/three"));
        }
    }

    @Test
    void http10ClientGetsItsAnswerAndTheConnectionCloses() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", plane.httpAddress().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /bytes/1000 HTTP/1.0\r\nHost: shop.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200 OK").doesNotContain("chunked");
            assertThat(response.substring(response.indexOf("\r\n\r\n") + 4)).hasSize(1000);
        }
    }

    @Test
    void headAndNoContentHaveNoBody() throws Exception {
        for (String protocol : List.of("--http1.1", "--http2-prior-knowledge")) {
            assertThat(get("/", protocol, "-I").status()).as(protocol).isEqualTo(200);
            Curl.Result noContent = get("/status/204", protocol);
            assertThat(noContent.status()).as(protocol + ": " + noContent.err()).isEqualTo(204);
            assertThat(noContent.body()).as(protocol).isEmpty();
        }
    }

    @Test
    void h2cWithPriorKnowledge() throws Exception {
        Curl.Result result = get("/h2", "--http2-prior-knowledge");
        assertThat(result.httpVersion()).isEqualTo("2");
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).contains("backend=alpha", "uri=/h2", "host: shop.example.com");
    }

    @Test
    void h2cByUpgrade() throws Exception {
        Curl.Result result = get("/upgraded", "--http2");
        assertThat(result.httpVersion()).isEqualTo("2");
        assertThat(result.body()).contains("uri=/upgraded");
    }

    /** An h2c upgrade the server cannot make (Connection does not list HTTP2-Settings): served as HTTP/1.1, body and all. */
    @Test
    void anH2cUpgradeThatCannotBeMadeIsServedAsHttp11() throws Exception {
        Curl.Result result = get("/declined", "--http1.1", "-H", "Upgrade: h2c", "-H", "Connection: Upgrade",
                "-H", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA", "--data-binary", "payload");
        assertThat(result.httpVersion()).isEqualTo("1.1");
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).contains("uri=/declined", "host: shop.example.com");
    }

    @Test
    void h2UploadAndDownload() throws Exception {
        byte[] data = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(data);
        Path file = Files.write(scratch.resolve("h2.bin"), data);
        assertThat(get("/sha256", "--http2-prior-knowledge", "--data-binary", "@" + file).body())
                .isEqualTo(EchoBackend.sha256(new java.io.ByteArrayInputStream(data)));
        Curl.Result download = get("/bytes/5000000", "--http2-prior-knowledge", "-o", scratch.resolve("h2-down.bin").toString());
        assertThat(download.status()).isEqualTo(200);
        assertThat(Files.size(scratch.resolve("h2-down.bin"))).isEqualTo(5_000_000);
    }

    /**
     * {@code Expect: 100-continue} goes up, the backend's 100 comes back down before the body is sent (as its own
     * HTTP/1.1 interim response, as a HEADERS frame without END_STREAM on h2), and the body follows whole. The JDK's
     * server puts {@code Content-Length: 0} on its 100, which a 1xx may not carry: passed on, curl's h2 reset the stream.
     */
    @Test
    void expectContinueUploadsOverHttp11AndH2() throws Exception {
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        Path file = Files.write(scratch.resolve("continue.bin"), data);
        String expected = EchoBackend.sha256(new java.io.ByteArrayInputStream(data));
        for (String protocol : List.of("--http1.1", "--http2-prior-knowledge")) {
            long start = System.nanoTime();
            Curl.Result result = get("/sha256", protocol, "-H", "Expect: 100-continue", "--expect100-timeout", "30",
                    "--data-binary", "@" + file);
            assertThat(result.status()).as(protocol + ": " + result.err()).isEqualTo(200);
            assertThat(result.body()).as(protocol).isEqualTo(expected);
            // without the 100, curl would have waited out its 30 s before sending the body
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(protocol).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void roundRobinSpreadsThreeHundredRequestsEvenlyOverThreeBackends() throws Exception {
        EchoBackend gamma = closing(new EchoBackend("gamma"));
        Backend three = new Backend("shop/three:http", Backend.Protocol.HTTP, "round-robin", List.of(alpha, beta, gamma).stream()
                .map(backend -> new Endpoint(backend.address(), 1, null)).toList());
        plane.apply(new ProxyConfig(2, List.of(route("shop.example.com", PathType.PREFIX, "/", three.name())), Optional.empty(),
                Map.of(three.name(), three)));
        List<String> args = new ArrayList<>(List.of("-H", "Host: shop.example.com", "-o", "/dev/null"));
        for (int i = 0; i < 300; i++) {
            args.add(base + "/r" + i);
        }
        assertThat(Curl.run(args.toArray(String[]::new)).exit()).isZero();
        assertThat(List.of(alpha.requestsSeen(), beta.requestsSeen(), gamma.requestsSeen())).allSatisfy(count ->
                assertThat(count).isBetween(99, 101));
    }

    @Test
    void aNewConfigurationTakesEffectForTheNextRequest() throws Exception {
        plane.apply(config(Map.of("shop/beta:http", List.of(beta.address())),
                route("shop.example.com", PathType.PREFIX, "/", "shop/beta:http")));
        assertThat(get("/").body()).contains("backend=beta");
    }
}
