package dev.berth.proxy.tcp;

import dev.berth.proxy.balance.Balancer;
import dev.berth.proxy.balance.HashKeys;
import dev.berth.proxy.config.ProxyProtocol;
import dev.berth.proxy.transport.EpollHalfCloseGuard;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream end of a TCP connection until its relay runs: learns who the client is (the socket peer, or a
 * trusted peer's PROXY header), picks an endpoint, connects to it on this channel's event loop with this channel's
 * class (so the two can splice, and no field needs to be volatile), sends the PROXY header if the service wants one,
 * and then hands both channels to {@link TcpRelayHandler}s. Bytes that arrived behind a PROXY header wait here.
 */
final class TcpFrontendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TcpFrontendHandler.class);
    private static final long HEADER_TIMEOUT_SECONDS = 5;

    private final TcpRoute route;
    private final RelayContext context;
    private final boolean expectHeader;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private TcpConnection connection;
    /** The client's FIN came before the relay: epoll reads up to the FIN on RDHUP even while reading is off. */
    private boolean clientFinished;

    TcpFrontendHandler(TcpRoute route, RelayContext context, boolean expectHeader) {
        this.route = route;
        this.context = context;
        this.expectHeader = expectHeader;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (expectHeader) {
            // a trusted peer that never sends its header would otherwise hold the connection open for ever
            ctx.executor().schedule(() -> {
                if (connection == null && ctx.channel().isActive()) {
                    log.info("tcp {}: no PROXY header from {} within {} s; closing", route.service().name(),
                            ctx.channel().remoteAddress(), HEADER_TIMEOUT_SECONDS);
                    ctx.close();
                }
            }, HEADER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ctx.read();
        } else {
            Channel channel = ctx.channel();
            connect(ctx, (InetSocketAddress) channel.remoteAddress(), (InetSocketAddress) channel.localAddress());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage header) {
            try {
                Channel channel = ctx.channel();
                connect(ctx, ProxyHeaders.source(header, (InetSocketAddress) channel.remoteAddress()),
                        ProxyHeaders.destination(header, (InetSocketAddress) channel.localAddress()));
            } finally {
                header.release();
            }
        } else if (msg instanceof ByteBuf bytes) {
            context.counters().buffered(bytes.readableBytes());
            early.add(bytes); // what the client sent right behind its PROXY header, in the same segment
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void connect(ChannelHandlerContext ctx, InetSocketAddress client, InetSocketAddress destination) {
        Channel downstream = ctx.channel();
        int loop = context.loopIndex(downstream.eventLoop());
        long hashKey = route.hashesClients() ? HashKeys.ofAddress(client.getAddress()) : 0;
        int endpoint = route.balancer().pick(loop, hashKey);
        if (endpoint == Balancer.NONE) {
            log.info("tcp {}: no endpoint for {}; closing", route.service().name(), client);
            downstream.close();
            return;
        }
        connection = new TcpConnection(downstream, route.balancer(), loop, endpoint);
        InetSocketAddress address = route.endpoint(endpoint);
        TcpRelayHandler upstreamRelay = new TcpRelayHandler(connection, downstream, context);
        ChannelFuture connecting = upstreamBootstrap(downstream, upstreamRelay).connect(address);
        connection.upstream(connecting.channel());
        connecting.addListener(future -> {
            if (future.isSuccess()) {
                startRelay(ctx, connecting.channel(), upstreamRelay, client, destination);
            } else {
                log.info("tcp {}: endpoint {} for {}: {}", route.service().name(), address, client, future.cause().getMessage());
                connection.abort();
            }
        });
    }

    private Bootstrap upstreamBootstrap(Channel downstream, TcpRelayHandler upstreamRelay) {
        Bootstrap bootstrap = new Bootstrap()
                .group(downstream.eventLoop())
                .channel(downstream.getClass())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, context.connectTimeoutMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel upstream) {
                        upstream.pipeline().addLast(TcpInitializer.RELAY, upstreamRelay);
                    }
                });
        if (context.splice()) {
            bootstrap.option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, RelayContext.SPLICE_AWARE_ESTIMATOR);
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, RelayContext.BUFFERED_READS);
        }
        return bootstrap;
    }

    private void startRelay(ChannelHandlerContext ctx, Channel upstream, TcpRelayHandler upstreamRelay,
            InetSocketAddress client, InetSocketAddress destination) {
        Channel downstream = ctx.channel();
        if (!downstream.isActive()) {
            connection.abort();
            return;
        }
        ProxyProtocol send = route.service().sendProxyProtocol();
        if (send != ProxyProtocol.NONE) {
            ChannelPipeline pipeline = upstream.pipeline();
            pipeline.addFirst(TcpInitializer.PROXY_ENCODER, HAProxyMessageEncoder.INSTANCE);
            upstream.write(ProxyHeaders.header(send, client, destination)).addListener(connection.abortOnFailure());
            pipeline.remove(TcpInitializer.PROXY_ENCODER); // the write went through it synchronously: we are on the channel's loop
        }
        while (!early.isEmpty()) {
            upstream.write(early.poll()).addListener(connection.abortOnFailure());
        }
        upstream.flush();
        TcpRelayHandler downstreamRelay = new TcpRelayHandler(connection, upstream, context);
        ctx.pipeline().replace(this, TcpInitializer.RELAY, downstreamRelay);
        downstreamRelay.pairWith(upstreamRelay);
        upstreamRelay.pairWith(downstreamRelay);
        context.counters().connectionRelayed();
        downstreamRelay.start(clientFinished);
        upstreamRelay.start(false);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            EpollHalfCloseGuard.inputFinished(ctx.channel()); // the relay will still write the endpoint's bytes here
            clientFinished = true; // passed on once the relay runs, behind the bytes in {@link #early}
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        if (connection != null) {
            connection.abort();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("tcp {}: downstream {} failed before relaying", route.service().name(), ctx.channel().remoteAddress(), cause);
        releaseEarly();
        if (connection != null) {
            connection.abort();
        } else {
            ctx.close();
        }
    }

    private void releaseEarly() {
        while (!early.isEmpty()) {
            early.poll().release();
        }
    }
}
