package dev.berth.proxy.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Cleartext HTTP/2 (h2c, prior knowledge) to endpoints that speak it, gRPC above all: one multiplexed connection
 * per endpoint and event loop, one stream per request. A stream carries the same HTTP objects as an HTTP/1.1
 * connection (through {@link Http2StreamFrameToHttpObjectCodec}), so the frontend's logic is the same for both;
 * trailers travel as the last content's trailing headers.
 */
final class H2Upstreams {
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Map<InetSocketAddress, Channel> connections = new HashMap<>();

    H2Upstreams(EventLoop loop, Bootstrap template) {
        this.loop = loop;
        this.bootstrap = template.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.config().setAutoRead(true); // the connection reads freely; each stream's window holds back data
                channel.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                        new Http2MultiplexHandler(new RefuseInboundStreams()));
            }
        });
    }

    /** A new stream to the endpoint, on a connection that is made first if there is none. */
    Future<Channel> openStream(InetSocketAddress endpoint) {
        Promise<Channel> stream = loop.newPromise();
        Channel connection = connections.get(endpoint);
        if (connection != null && connection.isActive()) {
            open(connection, stream);
            return stream;
        }
        ChannelFuture connecting = bootstrap.connect(endpoint);
        connections.put(endpoint, connecting.channel());
        connecting.channel().closeFuture().addListener(closed -> connections.remove(endpoint, connecting.channel()));
        connecting.addListener(future -> {
            if (future.isSuccess()) {
                open(connecting.channel(), stream);
            } else {
                stream.tryFailure(future.cause());
            }
        });
        return stream;
    }

    private static void open(Channel connection, Promise<Channel> stream) {
        new Http2StreamChannelBootstrap(connection)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel channel) {
                        channel.pipeline()
                                .addLast(HandlerNames.H2_TO_HTTP, new Http2StreamFrameToHttpObjectCodec(false))
                                .addLast(HandlerNames.BACKEND, new BackendHandler());
                    }
                })
                .open()
                .addListener(future -> {
                    if (future.isSuccess()) {
                        stream.trySuccess((Channel) future.getNow());
                    } else {
                        stream.tryFailure(future.cause());
                    }
                });
    }

    /** Servers do not open streams towards a client in plain HTTP/2; one that does is answered with a reset. */
    @ChannelHandler.Sharable
    private static final class RefuseInboundStreams extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().close();
        }
    }
}
