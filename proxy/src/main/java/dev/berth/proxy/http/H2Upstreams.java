package dev.berth.proxy.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cleartext HTTP/2 (h2c, prior knowledge) to endpoints that speak it, gRPC above all: multiplexed connections per
 * endpoint and event loop, one stream per request. A stream carries the same HTTP objects as an HTTP/1.1
 * connection (through {@link Http2StreamFrameToHttpObjectCodec}), so the frontend's logic is the same for both;
 * trailers travel as the last content's trailing headers.
 *
 * <p>A connection takes as many streams as the endpoint's SETTINGS allow (NGINX says 128, grpc-java's
 * {@code maxConcurrentCallsPerConnection} what it is set to); streams beyond that open another connection, as HAProxy
 * and Envoy do, instead of being refused. So a stream is placed only on a connection whose SETTINGS have arrived, and
 * is counted there from the moment it is asked for; requests that come while the only connection is still being made
 * wait for it rather than each making one of their own; an endpoint whose SETTINGS do not come within the connect
 * timeout is taken for one that does not speak h2 (504). At most {@link #MAX_CONNECTIONS_PER_ENDPOINT} connections
 * per endpoint and loop: beyond them a stream fails (the client gets a 502 naming the reason).
 */
final class H2Upstreams {
    static final int MAX_CONNECTIONS_PER_ENDPOINT = 64;

    private static final SettingsWatch SETTINGS_WATCH = new SettingsWatch();

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final long settleTimeoutMillis;
    private final Map<InetSocketAddress, List<H2Connection>> connections = new HashMap<>();

    H2Upstreams(EventLoop loop, Bootstrap template) {
        this.loop = loop;
        this.bootstrap = template.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.config().setAutoRead(true); // the connection reads freely; each stream's window holds back data
                channel.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                        new Http2MultiplexHandler(new RefuseInboundStreams()), SETTINGS_WATCH);
            }
        });
        Integer connectTimeout = (Integer) template.config().options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS);
        this.settleTimeoutMillis = connectTimeout != null ? connectTimeout : 3_000;
    }

    /** A new stream to the endpoint, on a connection with room for it, made first if there is none. */
    Future<Channel> openStream(InetSocketAddress endpoint) {
        Promise<Channel> stream = loop.newPromise();
        place(endpoint, stream);
        return stream;
    }

    private void place(InetSocketAddress endpoint, Promise<Channel> stream) {
        List<H2Connection> toEndpoint = connections.computeIfAbsent(endpoint, e -> new ArrayList<>());
        H2Connection settling = null;
        for (H2Connection connection : toEndpoint) {
            if (!connection.settled.isDone()) {
                settling = connection;
            } else if (connection.hasRoom()) {
                connection.open(stream);
                return;
            }
        }
        if (settling == null) {
            if (toEndpoint.size() >= MAX_CONNECTIONS_PER_ENDPOINT) {
                stream.tryFailure(new IllegalStateException("all " + MAX_CONNECTIONS_PER_ENDPOINT
                        + " h2 connections to the endpoint are at its limit of concurrent streams"));
                return;
            }
            settling = connect(endpoint, toEndpoint);
        }
        settling.settled.addListener(settled -> {
            if (settled.isSuccess()) {
                place(endpoint, stream);
            } else {
                stream.tryFailure(settled.cause());
            }
        });
    }

    private H2Connection connect(InetSocketAddress endpoint, List<H2Connection> toEndpoint) {
        Channel channel = bootstrap.register().channel();
        H2Connection connection = new H2Connection(channel, loop.newPromise());
        toEndpoint.add(connection);
        channel.closeFuture().addListener(closed -> {
            toEndpoint.remove(connection);
            if (toEndpoint.isEmpty()) {
                connections.remove(endpoint, toEndpoint);
            }
            connection.settled.tryFailure(new IllegalStateException("the endpoint closed the h2 connection before its SETTINGS"));
        });
        channel.connect(endpoint).addListener(connected -> {
            if (!connected.isSuccess()) {
                connection.settled.tryFailure(connected.cause());
                channel.close();
            }
        });
        // the connect timeout covers the TCP connect; this covers the rest, up to the endpoint's SETTINGS
        loop.schedule(() -> {
            if (connection.settled.tryFailure(new ConnectTimeoutException("no h2 SETTINGS from the endpoint within "
                    + settleTimeoutMillis + " ms (does it speak h2c?)"))) {
                channel.close();
            }
        }, settleTimeoutMillis, TimeUnit.MILLISECONDS);
        return connection;
    }

    /** One connection to an endpoint; {@code settled} once the endpoint's first SETTINGS arrived. */
    private static final class H2Connection {
        final Channel channel;
        final Promise<Void> settled;
        int streams; // open or being opened on it

        H2Connection(Channel channel, Promise<Void> settled) {
            this.channel = channel;
            this.settled = settled;
            channel.attr(SettingsWatch.SETTLED).set(settled);
        }

        boolean hasRoom() {
            Http2FrameCodec codec = channel.pipeline().get(Http2FrameCodec.class);
            if (!channel.isActive() || codec == null) {
                return false;
            }
            Http2Connection h2 = codec.connection();
            return !h2.goAwayReceived() && streams < h2.local().maxActiveStreams();
        }

        void open(Promise<Channel> stream) {
            streams++;
            new Http2StreamChannelBootstrap(channel)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel child) {
                            child.pipeline()
                                    .addLast(HandlerNames.H2_TO_HTTP, new Http2StreamFrameToHttpObjectCodec(false))
                                    .addLast(HandlerNames.BACKEND, new BackendHandler());
                        }
                    })
                    .open()
                    .addListener(opened -> {
                        if (opened.isSuccess()) {
                            Channel child = (Channel) opened.getNow();
                            child.closeFuture().addListener(closed -> streams--);
                            stream.trySuccess(child);
                        } else {
                            streams--;
                            stream.tryFailure(opened.cause());
                        }
                    });
        }
    }

    /** Completes the connection's {@code settled} promise at the endpoint's first SETTINGS (applied by then). */
    @ChannelHandler.Sharable
    private static final class SettingsWatch extends ChannelInboundHandlerAdapter {
        static final AttributeKey<Promise<Void>> SETTLED = AttributeKey.valueOf("berth.h2.settled");

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2SettingsFrame) {
                Promise<Void> settled = ctx.channel().attr(SETTLED).get();
                if (settled != null) {
                    settled.trySuccess(null);
                }
            }
            ReferenceCountUtil.release(msg); // nothing after this handler reads connection-level frames
        }
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
