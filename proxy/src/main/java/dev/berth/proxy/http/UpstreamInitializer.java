package dev.berth.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Upstream HTTP/1.1 pipeline: TLS for https backends, idle detection (for pooled connections), codec, backend
 * handler. One shared instance serves plain connections; each TLS connection gets its own, for its key's SNI.
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
        // Reader idleness only: a pooled connection last read the response before it was pooled, so this times its
        // rest in the pool as well as "all idle" would, without a listener on every write of every request.
        channel.pipeline()
                .addLast(HandlerNames.IDLE, new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast(HandlerNames.HTTP_CODEC, HttpDecoding.clientCodec())
                .addLast(HandlerNames.BACKEND, new BackendHandler());
    }
}
