package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A WebSocket through the proxy to a Netty echo server (plain, or TLS as a wss pod): the JDK's client over HTTP/1.1
 * (the Upgrade passed through), and an h2 client by extended CONNECT (RFC 8441).
 */
class WebSocketTunnelTest {
    private EventLoopGroup backendLoops;
    private Channel backend;
    private DataPlane plane;

    @BeforeEach
    void start() {
        backendLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    /** A Netty WebSocket echo server (over TLS for https, as a wss pod would be) and Berth in front of it. */
    private void serve(Backend.Protocol protocol) throws Exception {
        SslContext tls = protocol == Backend.Protocol.HTTPS
                ? new JdkSslContext(SelfSignedTls.serverContext("chat.pod.internal"), false, ClientAuth.NONE) : null;
        backend = new ServerBootstrap().group(backendLoops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (tls != null) {
                            channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                        }
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/echo"), new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                        ctx.writeAndFlush(new TextWebSocketFrame("echo: " + frame.text()));
                                    }

                                    /** Greets at once: bytes right behind the 101, which the proxy may read with it. */
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                                            ctx.writeAndFlush(new TextWebSocketFrame("welcome"));
                                        }
                                        ctx.fireUserEventTriggered(event);
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        plane = DataPlane.start(DataPlane.Settings.defaults(TransportChoice.choose("auto"), new InetSocketAddress("127.0.0.1", 0)));
        Backend ws = new Backend("chat/ws:" + protocol.name().toLowerCase(java.util.Locale.ROOT), protocol, "round-robin",
                List.of(new Endpoint((InetSocketAddress) backend.localAddress(), 1, null)));
        plane.apply(new ProxyConfig(1, List.of(new HttpRoute("", HttpRoute.PathType.PREFIX, "/", ws.name(), "test", 0)),
                Optional.empty(), Map.of(ws.name(), ws)));
    }

    @AfterEach
    void stop() {
        if (plane != null) {
            plane.close();
        }
        if (backend != null) {
            backend.close().syncUninterruptibly();
        }
        backendLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Over HTTP/1.1 to a ws backend, and to a wss one (backend-protocol https, or appProtocol kubernetes.io/wss). */
    @ParameterizedTest
    @EnumSource(value = Backend.Protocol.class, names = {"HTTP", "HTTPS"})
    void framesFlowBothWaysAfterTheUpgrade(Backend.Protocol protocol) throws Exception {
        serve(protocol);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (HttpClient client = HttpClient.newHttpClient()) {
            WebSocket socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + plane.httpAddress().getPort() + "/echo"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            received.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("welcome");
            for (int i = 0; i < 3; i++) {
                socket.sendText("hello " + i, true).get(5, TimeUnit.SECONDS);
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo: hello " + i);
            }
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }
    /**
     * RFC 8441: a WebSocket opened by extended CONNECT on an h2c stream (Netty's h2 client, prior knowledge), tunnelled
     * to the same HTTP/1.1 WebSocket server. Frames are encoded and decoded by Netty's WebSocket codecs on the client.
     */
    @Test
    void webSocketOverHttp2ReachesAnHttp11WebSocket() throws Exception {
        serve(Backend.Protocol.HTTP);
        EventLoopGroup clientLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            CompletableFuture<Http2Settings> serverSettings = new CompletableFuture<>();
            Channel connection = new Bootstrap().group(clientLoops).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                    new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                                    new SimpleChannelInboundHandler<Http2SettingsFrame>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, Http2SettingsFrame frame) {
                                            serverSettings.complete(frame.settings());
                                        }
                                    });
                        }
                    }).connect(plane.httpAddress()).sync().channel();
            assertThat(serverSettings.get(5, TimeUnit.SECONDS).connectProtocolEnabled()).isTrue();

            CompletableFuture<Http2Headers> response = new CompletableFuture<>();
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            EmbeddedChannel frameDecoder = new EmbeddedChannel(new WebSocket13FrameDecoder(false, true, 65536));
            Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof Http2HeadersFrame headers) {
                        response.complete(headers.headers());
                    } else if (msg instanceof Http2DataFrame data) {
                        frameDecoder.writeInbound(data.content().retain());
                        data.release();
                        for (Object frame; (frame = frameDecoder.readInbound()) != null; ) {
                            if (frame instanceof TextWebSocketFrame text) {
                                received.add(text.text());
                            }
                            io.netty.util.ReferenceCountUtil.release(frame);
                        }
                    } else {
                        io.netty.util.ReferenceCountUtil.release(msg);
                    }
                }
            }).open().sync().getNow();
            Http2Headers connect = new DefaultHttp2Headers().method("CONNECT").scheme("http").path("/echo")
                    .authority("chat.example.com");
            connect.set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), "websocket");
            connect.set("sec-websocket-version", "13");
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(connect, false)).sync();
            assertThat(response.get(5, TimeUnit.SECONDS).status().toString()).isEqualTo("200");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("welcome");

            EmbeddedChannel frameEncoder = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
            for (int i = 0; i < 3; i++) {
                frameEncoder.writeOutbound(new TextWebSocketFrame("over h2 " + i));
                for (Object bytes; (bytes = frameEncoder.readOutbound()) != null; ) {
                    stream.write(new DefaultHttp2DataFrame((io.netty.buffer.ByteBuf) bytes));
                }
                stream.flush();
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo: over h2 " + i);
            }
            connection.close().sync();
        } finally {
            clientLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
