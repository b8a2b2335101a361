package dev.berth.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;

/**
 * Upstream HTTP/1.1 pipeline: TLS for https backends, codec, backend handler (which also times a pooled connection's
 * rest: {@link BackendHandler#rest}). One shared instance serves plain connections; each TLS connection gets its own,
 * for its key's SNI.
 */
@ChannelHandler.Sharable
final class UpstreamInitializer extends ChannelInitializer<Channel> {
    private final Duration idleTimeout;
    private final UpstreamTls tls;
    private final UpstreamKey key;

    UpstreamInitializer(Duration idleTimeout) {
        this(idleTimeout, null, null);
    }

    private UpstreamInitializer(Duration idleTimeout, UpstreamTls tls, UpstreamKey key) {
        this.idleTimeout = idleTimeout;
        this.tls = tls;
        this.key = key;
    }

    /** The same pipeline behind a TLS client handler for {@code key}. */
    UpstreamInitializer withTls(UpstreamTls upstreamTls, UpstreamKey tlsKey) {
        return new UpstreamInitializer(idleTimeout, upstreamTls, tlsKey);
    }

    @Override
    protected void initChannel(Channel channel) {
        if (tls != null) {
            channel.pipeline().addLast(HandlerNames.TLS, tls.newHandler(channel.alloc(), key));
        }
        channel.pipeline()
                .addLast(HandlerNames.HTTP_CODEC, HttpDecoding.clientCodec())
                .addLast(HandlerNames.BACKEND, new BackendHandler(idleTimeout.toNanos()));
    }
}
