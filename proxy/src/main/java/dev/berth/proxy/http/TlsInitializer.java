package dev.berth.proxy.http;

import dev.berth.proxy.tls.ServerTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream pipeline of the HTTPS listener. Netty's SNI handler reads the ClientHello, takes the TLS context
 * {@link ServerTls} chooses for its server name and puts the TLS handler in its own place; when the handshake is done,
 * the protocol ALPN chose decides the rest: {@code h2} gets the h2 codec and an {@link H2Frontend}, as an h2c
 * connection does, {@code http/1.1} (or a client without ALPN) the HTTP/1.1 codec and a {@link FrontendHandler}, as a
 * cleartext connection does, without the h2c switch. Both forward with {@code X-Forwarded-Proto: https}.
 *
 * <p>The ClientHello must arrive within the handshake timeout of the accept, and the rest of the handshake take no
 * longer again, or the connection is closed: a client that connects and says nothing holds nothing for long.
 */
final class TlsInitializer extends ChannelInitializer<Channel> {
    private static final Logger log = LoggerFactory.getLogger(TlsInitializer.class);
    private static final String SCHEME = "https";

    private final ProxyContext shared;
    private final ServerTls tls;
    private final Duration idleTimeout;
    private final long handshakeTimeoutMillis;

    TlsInitializer(ProxyContext shared, ServerTls tls, Duration idleTimeout, Duration handshakeTimeout) {
        this.shared = shared;
        this.tls = tls;
        this.idleTimeout = idleTimeout;
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline()
                .addLast(HandlerNames.TLS, new SniHandler(tls, handshakeTimeoutMillis) {
                    @Override
                    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
                        SslHandler handler = super.newSslHandler(context, allocator);
                        tls.configure(handler.engine());
                        return handler;
                    }
                })
                .addLast(HandlerNames.ALPN, new AlpnSwitch());
    }

    /** Puts the protocol's handlers in after the handshake, then leaves. */
    private final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {
        AlpnSwitch() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            super.channelActive(ctx);
            ctx.read(); // the ClientHello; the TLS handlers read on by themselves until the handshake is done
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            ChannelPipeline pipeline = ctx.pipeline();
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                pipeline.addAfter(ctx.name(), HandlerNames.FLUSH_CONSOLIDATION, H2cSwitch.flushConsolidation())
                        .addAfter(HandlerNames.FLUSH_CONSOLIDATION, HandlerNames.H2C, H2cSwitch.h2Codec())
                        .addAfter(HandlerNames.H2C, null, new H2Frontend(shared, SCHEME, idleTimeout));
                ctx.channel().config().setAutoRead(true); // each stream's window bounds its buffering, as on h2c
            } else {
                pipeline.addAfter(ctx.name(), HandlerNames.HTTP_CODEC, HttpDecoding.serverCodec())
                        .addAfter(HandlerNames.HTTP_CODEC, HandlerNames.FRONTEND, new FrontendHandler(shared, SCHEME, idleTimeout, null));
            }
            // The handlers just added missed the connection's activation; they get it now (the frontend starts its
            // keep-alive timer and reads the first request).
            ctx.fireChannelActive();
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("HTTPS {}: TLS handshake failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close(); // scanners and clients that distrust the certificate: a debug line, not a warning each
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (cause instanceof IOException) {
                log.debug("HTTPS {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
                ctx.close(); // reset or gone during the handshake
                return;
            }
            super.exceptionCaught(ctx, cause);
        }
    }
}
