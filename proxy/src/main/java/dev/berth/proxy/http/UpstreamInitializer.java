package dev.berth.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Upstream HTTP/1.1 pipeline: idle detection (for pooled connections), codec, backend handler. */
@ChannelHandler.Sharable
final class UpstreamInitializer extends ChannelInitializer<Channel> {
    private final Duration idleTimeout;

    UpstreamInitializer(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline()
                .addLast(HandlerNames.IDLE, new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .addLast(HandlerNames.HTTP_CODEC, new HttpClientCodec())
                .addLast(HandlerNames.BACKEND, new BackendHandler());
    }
}
