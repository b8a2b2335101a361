package dev.berth.proxy.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Idle keep-alive connections to endpoints, one pool per event loop: a request takes a connection made on its
 * own loop and gives it back there, so nothing here is shared between threads and no field needs to be
 * volatile. Bounded per endpoint; a connection idle too long is closed by its own IdleStateHandler.
 */
final class UpstreamPool {
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final int maxIdlePerEndpoint;
    private final Map<InetSocketAddress, ArrayDeque<Channel>> idle = new HashMap<>();

    UpstreamPool(EventLoop loop, Bootstrap template, int maxIdlePerEndpoint) {
        this.loop = loop;
        this.bootstrap = template.clone(loop);
        this.maxIdlePerEndpoint = maxIdlePerEndpoint;
    }

    /** An idle connection to the endpoint, or null; the caller then {@link #connect}s. */
    Channel pollIdle(InetSocketAddress endpoint) {
        ArrayDeque<Channel> channels = idle.get(endpoint);
        while (channels != null && !channels.isEmpty()) {
            Channel channel = channels.pollFirst();
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /** A new connection; once closed, it leaves the idle list by itself. */
    Future<Channel> connect(InetSocketAddress endpoint) {
        ChannelFuture connecting = bootstrap.connect(endpoint);
        connecting.channel().closeFuture().addListener(closed -> {
            ArrayDeque<Channel> channels = idle.get(endpoint);
            if (channels != null) {
                channels.remove(connecting.channel());
            }
        });
        Promise<Channel> connected = loop.newPromise();
        connecting.addListener(future -> {
            if (future.isSuccess()) {
                connected.trySuccess(connecting.channel());
            } else {
                connected.tryFailure(future.cause());
            }
        });
        return connected;
    }

    /** Takes back a connection whose last exchange ended cleanly; closes it when the pool is full. */
    void release(InetSocketAddress endpoint, Channel channel) {
        assert channel.eventLoop() == loop;
        ArrayDeque<Channel> channels = idle.computeIfAbsent(endpoint, key -> new ArrayDeque<>());
        if (!channel.isActive() || channels.size() >= maxIdlePerEndpoint) {
            channel.close();
            return;
        }
        channels.addFirst(channel);
    }

    static Bootstrap template(Class<? extends Channel> channelClass, int connectTimeoutMillis) {
        return new Bootstrap()
                .channel(channelClass)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    }
}
