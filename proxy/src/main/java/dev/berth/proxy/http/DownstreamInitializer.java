package dev.berth.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;

/**
 * The downstream pipeline of a cleartext listener: the HTTP/1.1 codec and the frontend, nothing else. A connection
 * that turns out to speak h2 (prior knowledge or {@code Upgrade: h2c}) is switched by the frontend through
 * {@link H2cSwitch} when its first request shows it, so the common HTTP/1.1 connection pays for no detector and no
 * upgrade handler: two handlers per connection, one codec pass per message.
 */
final class DownstreamInitializer extends ChannelInitializer<Channel> {
    private final ProxyContext shared;
    private final Duration idleTimeout;
    private final H2cSwitch h2c;

    DownstreamInitializer(ProxyContext shared, Duration idleTimeout) {
        this.shared = shared;
        this.idleTimeout = idleTimeout;
        this.h2c = new H2cSwitch(shared, idleTimeout);
    }

    @Override
    protected void initChannel(Channel channel) {
        // the keep-alive timeout is the frontend's own (no IdleStateHandler: see FrontendHandler#keepAliveNanos)
        channel.pipeline()
                .addLast(HandlerNames.HTTP_CODEC, HttpDecoding.serverCodec())
                .addLast(HandlerNames.FRONTEND, new FrontendHandler(shared, "http", idleTimeout, h2c));
    }
}
