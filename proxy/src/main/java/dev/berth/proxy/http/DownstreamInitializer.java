package dev.berth.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AsciiString;
import java.time.Duration;

/**
 * The downstream pipeline of a cleartext listener, as a list of steps: idle timeout, then HTTP/1.1 with h2c
 * detection (prior knowledge or {@code Upgrade: h2c}), then the frontend. An h2 connection gets one child
 * channel per stream, each with the same frontend behind an h2 → HTTP/1 object codec, so one proxy logic
 * serves both protocols (WebSocket too: by Upgrade on HTTP/1.1, by extended CONNECT on h2).
 */
final class DownstreamInitializer extends ChannelInitializer<Channel> {
    /** Largest request the h2c Upgrade may carry (it is buffered whole, as the upgrade requires). */
    private static final int MAX_UPGRADE_REQUEST = 64 * 1024;

    private final ProxyContext shared;
    private final Duration idleTimeout;

    DownstreamInitializer(ProxyContext shared, Duration idleTimeout) {
        this.shared = shared;
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        addHttpCodecWithH2c(pipeline);
        // the keep-alive timeout is the frontend's own (no IdleStateHandler: see FrontendHandler#keepAliveNanos)
        pipeline.addLast(HandlerNames.FRONTEND, new FrontendHandler(shared, "http", idleTimeout));
    }

    private void addHttpCodecWithH2c(ChannelPipeline pipeline) {
        HttpServerCodec codec = new HttpServerCodec();
        HttpServerUpgradeHandler.UpgradeCodecFactory h2cUpgrade = protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(h2Codec(), new Http2Switch(), streams())
                        : null;
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, h2cUpgrade, MAX_UPGRADE_REQUEST);
        ChannelHandler priorKnowledge = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(h2Codec(), new Http2Switch(), streams());
            }
        };
        pipeline.addLast(HandlerNames.H2C, new CleartextHttp2ServerUpgradeHandler(codec, upgrade, priorKnowledge));
    }

    /** The h2 codec; its SETTINGS allow extended CONNECT, so clients may open WebSockets over h2 (RFC 8441). */
    private static Http2FrameCodec h2Codec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().connectProtocolEnabled(true))
                .build();
    }

    private Http2MultiplexHandler streams() {
        return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.config().setAutoRead(false); // h2 flow control carries the back-pressure
                stream.pipeline()
                        .addLast(HandlerNames.H2_TO_HTTP, new Http2StreamFrameToHttpObjectCodec(true))
                        .addLast(HandlerNames.FRONTEND, new FrontendHandler(shared, "http", idleTimeout));
            }
        });
    }

    /**
     * Turns the connection from HTTP/1.1 into h2: the connection-level frontend and its keep-alive timer go
     * (streams have their own frontends), and the connection reads freely, since each stream's window now bounds its buffering.
     */
    private static final class Http2Switch extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ChannelPipeline pipeline = ctx.pipeline();
            if (pipeline.get(HandlerNames.FRONTEND) != null) {
                pipeline.remove(HandlerNames.FRONTEND);
            }
            // Each stream's response flushes the connection; responses that arrive in one event-loop turn (from
            // several upstream connections) go out in one write instead of one per stream.
            pipeline.addFirst(HandlerNames.FLUSH_CONSOLIDATION, new FlushConsolidationHandler(
                    FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
            ctx.channel().config().setAutoRead(true);
            pipeline.remove(this);
        }
    }
}
