package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.transport.Transport;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Frame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2WindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The frame-level h2 frontend ({@link H2Frontend}, {@link H2Stream}) against a client that speaks h2 frame by frame,
 * so that it can withhold its window, reset a stream and send what a well-behaved client would not. curl, h2load and
 * gRPC cover the well-behaved clients (DataPlaneTest, LoadAndMemoryTest, GrpcThroughProxyTest). On both native
 * transports, as DataPlaneTest.
 */
@ParameterizedClass
@EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING"})
class H2FrontendTest {
    @Parameter
    Transport transport;

    private static final Duration IDLE = Duration.ofSeconds(1);
    private EchoBackend backend;
    private DataPlane plane;
    private RawH2Client client;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(transport.unavailabilityCause().isEmpty(), () -> transport + " is not available here");
        backend = new EchoBackend("h2");
        plane = DataPlane.start(new DataPlane.Settings(TransportChoice.choose(transport.cliName()), new InetSocketAddress("127.0.0.1", 0), 1,
                Duration.ofSeconds(3), Duration.ofSeconds(60), IDLE, 1024, List.of(), false));
        Backend echo = new Backend("h2/echo:http", Backend.Protocol.HTTP, "round-robin", List.of(new Endpoint(backend.address(), 1, null)));
        plane.apply(new ProxyConfig(1, List.of(new HttpRoute("", HttpRoute.PathType.PREFIX, "/", echo.name(), "test", 0)),
                Optional.empty(), Map.of(echo.name(), echo)));
        client = new RawH2Client(plane.httpAddress());
    }

    @AfterEach
    void stop() {
        client.close();
        plane.close();
        backend.close();
    }

    /**
     * A stream whose client gives no window back holds the upstream at what the windows and socket buffers take; its
     * reset closes that upstream connection (it is mid-response, not reusable) and leaves the h2 connection serving.
     */
    @Test
    void aStalledStreamHoldsTheUpstreamBackAndItsResetFreesIt() throws Exception {
        Http2FrameStream download = client.request("/bytes/" + (1L << 30), true);
        long sentWhileStalled = LoadAndMemoryTest.steadyValueOf(backend::bytesSent);
        System.out.printf("an h2 stream that gives no window back: the backend could send %d KiB of 1 GiB%n", sentWhileStalled / 1024);
        assertThat(sentWhileStalled).isLessThan(64L << 20);

        client.send(new DefaultHttp2ResetFrame(Http2Error.CANCEL).stream(download));
        Http2FrameStream next = client.request("/after-reset", true);
        Response response = client.responseOf(next);

        assertThat(response.status()).isEqualTo("200");
        assertThat(response.body()).contains("uri=/after-reset");
        assertThat(backend.connectionsSeen()).as("the reset stream's upstream connection was closed, not reused").isEqualTo(2);
    }

    /**
     * Streams one after another take the same pooled upstream connection, whose decoder refills the response head the
     * frontend handed back once it became h2 headers: the next response has its own headers and none of the last's.
     */
    @Test
    void theNextStreamsResponseCarriesNothingOfThePreviousOnesHead() throws Exception {
        Response first = client.responseOf(client.request("/first", true));
        Response noContent = client.responseOf(client.request("/status/204", true));
        Response third = client.responseOf(client.request("/third", true));

        assertThat(first.status()).isEqualTo("200");
        assertThat(first.headerNames()).contains("content-type");
        assertThat(noContent.status()).isEqualTo("204");
        assertThat(noContent.headerNames()).doesNotContain("content-type");
        assertThat(third.body()).contains("uri=/third");
        assertThat(third.headerNames()).contains("content-type", "content-length");
        assertThat(backend.connectionsSeen()).isEqualTo(1);
    }

    /** A request body larger than the stream's window arrives whole: each forwarded chunk gives its window back. */
    @Test
    void aRequestBodyLargerThanTheWindowGoesUpWhole() throws Exception {
        byte[] body = new byte[1 << 20];
        new java.util.Random(11).nextBytes(body);
        Http2FrameStream upload = client.request("/sha256", false);
        for (int offset = 0; offset < body.length; offset += 16 * 1024) {
            boolean last = offset + 16 * 1024 >= body.length;
            client.sendWhenWindowAllows(upload, Unpooled.wrappedBuffer(body, offset, 16 * 1024), last);
        }
        assertThat(client.responseOf(upload).body()).isEqualTo(EchoBackend.sha256(new java.io.ByteArrayInputStream(body)));
    }

    /**
     * An upload to an upstream that reads slowly is held back to the upstream's pace: the frames wait for the
     * frontend to ask for them, and a frame's bytes go back to the client's window only when it is handed over, so
     * what the proxy holds is the stream window and a frame, not a growing share of the body.
     */
    @Test
    void anUploadToASlowUpstreamIsHeldToItsPace() throws Exception {
        try (ServerSocket slow = new ServerSocket()) {
            slow.setReceiveBufferSize(64 * 1024);
            slow.bind(new InetSocketAddress("127.0.0.1", 0));
            java.util.concurrent.atomic.AtomicLong drained = new java.util.concurrent.atomic.AtomicLong();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (Socket upstream = slow.accept()) {
                    byte[] buffer = new byte[16 * 1024];
                    for (int read; (read = upstream.getInputStream().read(buffer)) >= 0; ) {
                        drained.addAndGet(read);
                        Thread.sleep(5); // the load shape: a peer that takes ~3 MB/s
                    }
                } catch (IOException | InterruptedException over) {
                    // the test is over
                }
            });
            Backend sink = new Backend("h2/slow:http", Backend.Protocol.HTTP, "round-robin",
                    List.of(new Endpoint((InetSocketAddress) slow.getLocalSocketAddress(), 1, null)));
            plane.apply(new ProxyConfig(2, List.of(new HttpRoute("", HttpRoute.PathType.PREFIX, "/", sink.name(), "test", 0)),
                    Optional.empty(), Map.of(sink.name(), sink)));

            Http2FrameStream upload = client.request("/upload", false);
            byte[] chunk = new byte[16 * 1024];
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            for (int i = 0; i < 8192; i++) { // 128 MiB offered; the client's codec queues what the window does not take
                client.channel.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(chunk), false).stream(upload))
                        .addListener(written -> {
                            if (written.isSuccess()) {
                                sent.addAndGet(chunk.length);
                            }
                        });
            }
            client.channel.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            long maxAhead = 0;
            while (System.nanoTime() < deadline) {
                Thread.sleep(50); // a sampling interval while the upload runs
                maxAhead = Math.max(maxAhead, sent.get() - drained.get());
            }
            System.out.printf("an h2 upload to a ~3 MB/s upstream: %d KiB drained in 3 s, the client at most %d KiB ahead%n",
                    drained.get() / 1024, maxAhead / 1024);
            assertThat(drained.get()).as("the upload moved").isGreaterThan(1L << 20);
            // the stream window, the sockets' buffers on the way up, a frame or two: not a growing share of the body
            assertThat(maxAhead).isLessThan(12L << 20);
            reader.interrupt();
        }
    }

    /**
     * A body that has gone up gives its window back at once, though its response is slow to come: otherwise the
     * connection's window ({@link H2ConnectionWindow#BYTES}, shared by all streams) stayed taken until that response
     * ended, and the next upload, which with the first is more than that window, waited for it.
     */
    @Test
    void aBodySentUpGivesTheConnectionWindowBackBeforeItsResponse() throws Exception {
        byte[] body = new byte[H2ConnectionWindow.BYTES * 3 / 4];
        Http2FrameStream slow = client.request("/sleep/3000", false);
        sendBody(slow, body);
        long start = System.nanoTime();
        Http2FrameStream next = client.request("/sha256", false);
        sendBody(next, body);
        Response response = client.responseOf(next);

        assertThat(response.body()).isEqualTo(EchoBackend.sha256(new java.io.ByteArrayInputStream(body)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the second upload did not wait for the first response")
                .isLessThan(Duration.ofMillis(2000));
        assertThat(client.responseOf(slow).status()).isEqualTo("200");
    }

    private void sendBody(Http2FrameStream stream, byte[] body) throws InterruptedException {
        for (int offset = 0; offset < body.length; offset += 16 * 1024) {
            int length = Math.min(16 * 1024, body.length - offset);
            client.sendWhenWindowAllows(stream, Unpooled.wrappedBuffer(body, offset, length), offset + length == body.length);
        }
    }

    /** A request h2 cannot map to HTTP/1.1 (no {@code :path}) resets its stream, not the connection. */
    @Test
    void aRequestWithoutPathResetsItsStreamOnly() throws Exception {
        Http2FrameStream malformed = client.newStream();
        client.send(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET").scheme("http").authority("h2.example"), true)
                .stream(malformed));
        Http2Frame answer = client.nextFrameOf(malformed);
        assertThat(answer).isInstanceOf(Http2ResetFrame.class);
        assertThat(((Http2ResetFrame) answer).errorCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());

        assertThat(client.responseOf(client.request("/still-here", true)).status()).isEqualTo("200");
    }

    /** A CONNECT (no {@code :protocol}: a forward proxy's tunnel) is answered 501 on its stream; the connection serves on. */
    @Test
    void aConnectIsRefusedOnItsStream() throws Exception {
        Http2FrameStream tunnel = client.newStream();
        client.send(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("CONNECT").authority("h2.example:443"), false)
                .stream(tunnel));

        assertThat(client.responseOf(tunnel).status()).isEqualTo("501");
        assertThat(backend.connectionsSeen()).as("nothing reached the backend").isZero();
        assertThat(client.responseOf(client.request("/still-here", true)).status()).isEqualTo("200");
    }

    /** A connection whose last stream has ended is closed after the keep-alive timeout, with a GOAWAY first. */
    @Test
    void anIdleConnectionIsClosedWithGoAway() throws Exception {
        assertThat(client.responseOf(client.request("/once", true)).status()).isEqualTo("200");
        long idleSince = System.nanoTime();

        assertThat(client.channel.closeFuture().await(10, TimeUnit.SECONDS)).as("the idle connection was closed").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - idleSince)).isGreaterThanOrEqualTo(IDLE.minusMillis(50));
        assertThat(client.frames).anySatisfy(frame -> assertThat(frame).isInstanceOf(Http2GoAwayFrame.class));
    }

    /** The server's SETTINGS cap a connection's concurrent streams, which h2 itself leaves unlimited. */
    @Test
    void theSettingsCapConcurrentStreams() throws Exception {
        Http2SettingsFrame settings = null;
        while (settings == null) {
            Http2Frame frame = client.frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("the server's SETTINGS").isNotNull();
            settings = frame instanceof Http2SettingsFrame received ? received : null;
        }
        assertThat(settings.settings().maxConcurrentStreams()).isEqualTo((long) H2cSwitch.MAX_CONCURRENT_STREAMS);
    }

    /** A response's status, body, and the header names of its head. */
    record Response(String status, String body, List<String> headerNames) {
    }

    /** An h2 client on Netty's frame codec, with the window in its own hands: it gives back nothing unless asked. */
    static final class RawH2Client implements AutoCloseable {
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final BlockingQueue<Http2Frame> frames = new LinkedBlockingQueue<>();
        private final Frames handler = new Frames();
        private final Channel channel;

        RawH2Client(InetSocketAddress address) throws InterruptedException {
            channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), handler);
                }
            }).connect(address).sync().channel();
        }

        Http2FrameStream newStream() {
            return handler.newStream();
        }

        Http2FrameStream request(String path, boolean endStream) throws InterruptedException {
            Http2FrameStream stream = newStream();
            Http2Headers headers = new DefaultHttp2Headers().method("GET").path(path).scheme("http").authority("h2.example");
            if (!endStream) {
                headers.method("POST");
            }
            send(new DefaultHttp2HeadersFrame(headers, endStream).stream(stream));
            return stream;
        }

        void send(Http2StreamFrame frame) throws InterruptedException {
            channel.writeAndFlush(frame).sync();
        }

        /** Sends a DATA frame once the server's window for the stream takes it (the codec queues it until then). */
        void sendWhenWindowAllows(Http2FrameStream stream, ByteBuf bytes, boolean endStream) throws InterruptedException {
            assertThat(channel.writeAndFlush(new DefaultHttp2DataFrame(bytes, endStream).stream(stream)).await(10, TimeUnit.SECONDS))
                    .as("the server's window took the DATA frame").isTrue();
        }

        Http2Frame nextFrameOf(Http2FrameStream stream) throws InterruptedException {
            while (true) {
                Http2Frame frame = frames.poll(10, TimeUnit.SECONDS);
                assertThat(frame).as("a frame of stream %d", stream.id()).isNotNull();
                if (frame instanceof Http2StreamFrame streamFrame && streamFrame.stream() != null && streamFrame.stream().id() == stream.id()) {
                    return frame;
                }
                ReferenceCountUtil.release(frame);
            }
        }

        /** Reads the stream's response to its end, giving the window back as it goes. */
        Response responseOf(Http2FrameStream stream) throws InterruptedException {
            String status = null;
            List<String> headerNames = new ArrayList<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                Http2Frame frame = nextFrameOf(stream);
                boolean end;
                if (frame instanceof Http2WindowUpdateFrame) {
                    continue; // the server took request bytes
                } else if (frame instanceof Http2HeadersFrame headers) {
                    if (status == null) {
                        status = String.valueOf(headers.headers().status());
                        headers.headers().names().forEach(name -> headerNames.add(name.toString()));
                    }
                    end = headers.isEndStream();
                } else if (frame instanceof Http2DataFrame data) {
                    byte[] bytes = new byte[data.content().readableBytes()];
                    data.content().readBytes(bytes);
                    body.writeBytes(bytes);
                    end = data.isEndStream();
                    if (data.initialFlowControlledBytes() > 0) {
                        channel.writeAndFlush(new DefaultHttp2WindowUpdateFrame(data.initialFlowControlledBytes()).stream(stream));
                    }
                    data.release();
                } else {
                    throw new AssertionError("stream " + stream.id() + " ended with " + frame);
                }
                if (end) {
                    return new Response(status, body.toString(StandardCharsets.UTF_8), headerNames);
                }
            }
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }

        private final class Frames extends Http2ChannelDuplexHandler {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Http2Frame frame) {
                    frames.add(frame);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
        }
    }
}
