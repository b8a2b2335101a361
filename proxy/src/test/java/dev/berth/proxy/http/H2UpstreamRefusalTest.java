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
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An h2c endpoint that refuses a stream (RST_STREAM REFUSED_STREAM: it did not process the request, RFC 9113 §8.7):
 * Berth sends a bodiless request again, once, on a new stream; a request with a body, or a second refusal, is a 502.
 */
@Timeout(30)
class H2UpstreamRefusalTest {
    private EventLoopGroup serverLoops;
    private Channel server;
    private DataPlane plane;
    /** Streams the endpoint saw, and how many of the first it refuses. */
    private final AtomicInteger streamsSeen = new AtomicInteger();
    private volatile int refuseFirst;

    @BeforeEach
    void start() throws Exception {
        serverLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(serverLoops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new RefusingEndpoint());
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

    @Test
    void aRefusedBodilessRequestGoesAgainOnANewStream() throws Exception {
        refuseFirst = 1;
        Curl.Result result = Curl.run("-sS", url());
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("served /hello\n");
        assertThat(streamsSeen).as("the refused stream and the one that served").hasValue(2);
    }

    @Test
    void aRequestRefusedTwiceIs502() throws Exception {
        refuseFirst = 2;
        assertThat(Curl.run("-sS", url()).status()).isEqualTo(502);
        assertThat(streamsSeen).hasValue(2);
    }

    @Test
    void aRefusedRequestWithABodyIs502() throws Exception {
        refuseFirst = 1;
        assertThat(Curl.run("-sS", "--data-binary", "payload", url()).status()).isEqualTo(502);
        assertThat(streamsSeen).hasValue(1);
    }

    /** Refuses the first {@code refuseFirst} streams it sees, then answers each request's HEADERS with its path. */
    private final class RefusingEndpoint extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame headers && (headers.isEndStream() || streamsSeen.get() < refuseFirst)) {
                if (streamsSeen.incrementAndGet() <= refuseFirst) {
                    ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(headers.stream()));
                } else {
                    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(headers.stream()));
                    ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("served " + headers.headers().path() + "\n",
                            StandardCharsets.UTF_8), true).stream(headers.stream()));
                }
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
