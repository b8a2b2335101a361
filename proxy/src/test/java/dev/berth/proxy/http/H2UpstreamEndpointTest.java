package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Berth's upstream h2 connections against an h2c endpoint of the test's own, which can leave requests unprocessed
 * (RFC 9113 §8.7) in both ways an endpoint has: refusing the stream (RST_STREAM REFUSED_STREAM), or a GOAWAY whose last
 * stream id is below it, as a server shutting down gracefully sends. Berth sends a bodiless request again, once, on a
 * new stream (after a GOAWAY, on a new connection); a request with a body, or a second refusal, is a 502.
 */
@Timeout(30)
class H2UpstreamEndpointTest {
    private EventLoopGroup serverLoops;
    private Channel server;
    private DataPlane plane;
    /** Streams and connections the endpoint saw; how many of the first streams it refuses, or says GOAWAY to. */
    private final AtomicInteger streamsSeen = new AtomicInteger();
    private final AtomicInteger connectionsSeen = new AtomicInteger();
    private final AtomicInteger dataFramesSeen = new AtomicInteger();
    private volatile int refuseFirst;
    private volatile int goAwayAtFirst;

    @BeforeEach
    void start() throws Exception {
        serverLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(serverLoops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        connectionsSeen.incrementAndGet();
                        channel.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new TestEndpoint());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        plane = DataPlane.start(DataPlane.Settings.defaults(TransportChoice.choose("auto"), new InetSocketAddress("127.0.0.1", 0)));
        Backend h2c = new Backend("app/refusing:h2c", Backend.Protocol.H2C, "round-robin",
                List.of(new Endpoint((InetSocketAddress) server.localAddress(), 1, null)));
        plane.apply(new ProxyConfig(1, List.of(new HttpRoute("", HttpRoute.PathType.PREFIX, "/", h2c.name(), "test", 0)),
                Optional.empty(), Map.of(h2c.name(), h2c)));
    }

    @AfterEach
    void stop() throws Exception {
        plane.close();
        server.close().sync();
        serverLoops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS).sync();
    }

    private String url() {
        return "http://127.0.0.1:" + plane.httpAddress().getPort() + "/hello";
    }

    /**
     * A bodiless request the endpoint did not process goes again: on a new stream of the same connection when refused,
     * on a new connection after a GOAWAY (last stream 0), as that connection takes no new streams.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"refused, 1", "left out by a GOAWAY, 2"})
    void aBodilessRequestTheEndpointDidNotProcessGoesAgain(String how, int connections) throws Exception {
        leaveFirstUnprocessed(how);
        Curl.Result result = Curl.run("-sS", url());
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("served /hello\n");
        assertThat(streamsSeen).as("the stream left unprocessed and the one that served").hasValue(2);
        assertThat(connectionsSeen).hasValue(connections);
    }

    private void leaveFirstUnprocessed(String how) {
        if (how.equals("refused")) {
            refuseFirst = 1;
        } else {
            goAwayAtFirst = 1;
        }
    }

    @Test
    void aRequestRefusedTwiceIs502() throws Exception {
        refuseFirst = 2;
        assertThat(Curl.run("-sS", url()).status()).isEqualTo(502);
        assertThat(streamsSeen).hasValue(2);
    }

    /** A request with a body does not go again, whichever way the endpoint said it did not process it: a 502. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"refused", "left out by a GOAWAY"})
    void aRequestWithABodyTheEndpointDidNotProcessIs502(String how) throws Exception {
        leaveFirstUnprocessed(how);
        assertThat(Curl.run("-sS", "--data-binary", "payload", url()).status()).isEqualTo(502);
        assertThat(streamsSeen).hasValue(1);
    }

    /** A bodiless HTTP/1.1 request goes up as one HEADERS frame that ends the stream, not with an empty DATA frame after. */
    @Test
    void aBodilessHttp1RequestGoesUpAsOneHeadersFrame() throws Exception {
        Curl.Result result = Curl.run("-sS", url());
        assertThat(result.body()).isEqualTo("served /hello\n");
        assertThat(dataFramesSeen).hasValue(0);

        assertThat(Curl.run("-sS", "--data-binary", "payload", url()).body()).isEqualTo("served /hello\n");
        assertThat(dataFramesSeen).as("a body still goes as DATA").hasValue(1);
    }

    /**
     * Berth widens the connection's window to {@link H2ConnectionWindow#BYTES} before its first stream, so an endpoint
     * answering many streams at once is not held to h2's 64 KiB for all of them.
     */
    @Test
    void theConnectionWindowIsWidenedBeforeTheFirstStream() throws Exception {
        Curl.Result result = Curl.run("-sS", "http://127.0.0.1:" + plane.httpAddress().getPort() + "/window");
        assertThat(result.body()).isEqualTo("window " + H2ConnectionWindow.BYTES + "\n");
    }

    /**
     * Refuses the first {@code refuseFirst} streams it sees, or says GOAWAY (last stream 0) at the first
     * {@code goAwayAtFirst}; answers the others, once their request has ended, with their path, or for {@code /window}
     * with what the connection's window lets it send.
     */
    private final class TestEndpoint extends ChannelInboundHandlerAdapter {
        private final Map<Integer, CharSequence> paths = new HashMap<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2DataFrame) {
                dataFramesSeen.incrementAndGet();
            }
            if (msg instanceof Http2StreamFrame frame && !paths.containsKey(frame.stream().id()) && msg instanceof Http2HeadersFrame headers) {
                int seen = streamsSeen.incrementAndGet();
                if (seen <= refuseFirst) {
                    ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(headers.stream()));
                } else if (seen <= goAwayAtFirst) {
                    Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
                    codec.goAway(ctx.pipeline().context(codec), 0, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, ctx.newPromise());
                    ctx.flush();
                } else {
                    paths.put(headers.stream().id(), headers.headers().path());
                }
            }
            if (msg instanceof Http2StreamFrame frame && paths.containsKey(frame.stream().id())
                    && (msg instanceof Http2HeadersFrame headers ? headers.isEndStream() : ((Http2DataFrame) msg).isEndStream())) {
                answer(ctx, frame.stream(), paths.get(frame.stream().id()));
            }
            ReferenceCountUtil.release(msg);
        }

        private void answer(ChannelHandlerContext ctx, Http2FrameStream stream, CharSequence path) {
            Http2Connection connection = ctx.pipeline().get(Http2FrameCodec.class).connection();
            String answer = "/window".contentEquals(path)
                    ? "window " + connection.remote().flowController().windowSize(connection.connectionStream())
                    : "served " + path;
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(stream));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(answer + "\n", StandardCharsets.UTF_8), true).stream(stream));
        }
    }
}
