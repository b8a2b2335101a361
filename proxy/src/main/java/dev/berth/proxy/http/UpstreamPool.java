package dev.berth.proxy.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Idle keep-alive connections to endpoints, one pool per event loop: a request takes a connection made on its
 * own loop and gives it back there, so nothing here is shared between threads and no field needs to be
 * volatile. Bounded per {@link UpstreamKey} (endpoint, TLS or not, SNI), so plain and TLS connections never mix;
 * a connection resting too long is closed ({@link BackendHandler#rest}).
 */
final class UpstreamPool {
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final UpstreamInitializer initializer;
    private final UpstreamTls tls;
    private final int maxIdlePerEndpoint;
    private final Map<UpstreamKey, ArrayDeque<Channel>> idle = new HashMap<>();

    UpstreamPool(EventLoop loop, Bootstrap template, UpstreamInitializer initializer, UpstreamTls tls, int maxIdlePerEndpoint) {
        this.loop = loop;
        this.bootstrap = template.clone(loop).handler(initializer);
        this.initializer = initializer;
        this.tls = tls;
        this.maxIdlePerEndpoint = maxIdlePerEndpoint;
    }

    /** An idle connection for the key, or null; the caller then {@link #connect}s. */
    Channel pollIdle(UpstreamKey key) {
        ArrayDeque<Channel> channels = idle.get(key);
        while (channels != null && !channels.isEmpty()) {
            Channel channel = channels.pollFirst();
            BackendHandler backend = BackendHandler.of(channel);
            if (channel.isActive() && backend != null) {
                backend.wake();
                return channel;
            }
        }
        return null;
    }

    /**
     * A new connection, ready for requests: connected, and for TLS also through its handshake (a failed handshake
     * fails the future with an {@link SSLException} saying why). Once closed, it leaves the idle list by itself.
     */
    Future<Channel> connect(UpstreamKey key) {
        Bootstrap connector = key.tls() ? bootstrap.clone().handler(initializer.withTls(tls, key)) : bootstrap;
        ChannelFuture connecting = connector.connect(key.endpoint());
        Channel channel = connecting.channel();
        channel.closeFuture().addListener(closed -> {
            ArrayDeque<Channel> channels = idle.get(key);
            if (channels != null) {
                channels.remove(channel);
            }
        });
        Promise<Channel> ready = loop.newPromise();
        connecting.addListener(future -> {
            if (!future.isSuccess()) {
                ready.tryFailure(future.cause());
            } else if (!key.tls()) {
                ready.trySuccess(channel);
            } else {
                SslHandler handler = channel.pipeline().get(SslHandler.class);
                handler.handshakeFuture().addListener(handshake -> {
                    if (handshake.isSuccess()) {
                        tls.handshakeDone(key, handler.engine().getSession());
                        ready.trySuccess(channel);
                    } else {
                        channel.close();
                        ready.tryFailure(new SSLException(UpstreamTls.describeFailure(handshake.cause()), handshake.cause()));
                    }
                });
            }
        });
        return ready;
    }

    /** Takes back a connection whose last exchange ended cleanly; closes it when the pool is full. */
    void release(UpstreamKey key, Channel channel) {
        assert channel.eventLoop() == loop;
        ArrayDeque<Channel> channels = idle.computeIfAbsent(key, ignored -> new ArrayDeque<>());
        BackendHandler backend = BackendHandler.of(channel);
        if (!channel.isActive() || backend == null || channels.size() >= maxIdlePerEndpoint) {
            channel.close();
            return;
        }
        backend.rest();
        channels.addFirst(channel);
    }

    /**
     * Upstream connections read responses, which may be large: reads start at 16 KiB and may grow to 256 KiB (Netty's
     * default: from 2 KiB up to 64 KiB), so that a large body takes a few reads rather than many. Each read is a round
     * trip through io_uring's queues; on 64 KiB responses this took Berth from 0.90 to 1.03-1.06 of HAProxy's
     * throughput (benchmarks/README.md, tuning log). A connection holds the buffer only while a read is pending,
     * which is during an exchange: an idle pooled connection is not read.
     */
    static Bootstrap template(Class<? extends Channel> channelClass, int connectTimeoutMillis) {
        return new Bootstrap()
                .channel(channelClass)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(1024, 16 * 1024, 256 * 1024))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    }
}
