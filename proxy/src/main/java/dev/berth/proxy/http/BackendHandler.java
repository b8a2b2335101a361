package dev.berth.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * The upstream end of an exchange on an HTTP/1.1 connection: hands every response object to the frontend currently
 * using this connection. A connection resting in the pool has no frontend; anything it receives then is unexpected
 * and closes it, and so does a rest longer than the upstream idle timeout. That is timed by a {@link Deadline} set
 * when the pool takes the connection and cleared when a request takes it out, where Netty's IdleStateHandler sat
 * in the pipeline and read the clock on every read of every response.
 *
 * <p>A resting connection is read: the read the next exchange needs is asked for when the pool takes it. So bytes
 * its server sends meanwhile close it at once, rather than wait in the socket to pass for the next request's
 * response; and on epoll the socket keeps its read interest from one exchange to the next, where dropping it after
 * each response and setting it again for the next request cost two {@code epoll_ctl} per exchange.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter implements Upstream {
    /** The connection's handler, found in one look-up where a pipeline search compared every handler's class. */
    private static final AttributeKey<BackendHandler> OF_CHANNEL = AttributeKey.valueOf(BackendHandler.class, "backend");
    /** Set and cleared on this channel's event loop, which is also the frontend's. */
    private FrontendHandler frontend;
    private Channel channel;
    private final long restNanos;
    private Deadline restTimeout;
    /** The read asked for when the pool took the connection is still the one pending: the next exchange's first. */
    private boolean readAskedAtRest;

    /** @param restNanos how long the connection may rest in the pool before it is closed (the upstream idle timeout) */
    BackendHandler(long restNanos) {
        this.restNanos = restNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        channel.attr(OF_CHANNEL).set(this);
        restTimeout = new Deadline(ctx.executor(), this::onRestedTooLong);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        channel.attr(OF_CHANNEL).set(null); // the connection became a tunnel, or closed
        restTimeout.disarm(); // Netty removes a closed channel's handlers: none stays in the timer queue
    }

    /**
     * The pool has taken the connection: it is closed unless a request takes it out within the idle timeout, and
     * read meanwhile (a read asked for now stays pending until bytes come; any that come close it).
     */
    void rest() {
        restTimeout.arm(restNanos);
        readAskedAtRest = true;
        channel.read();
    }

    /** A request has taken the connection out of the pool. */
    void wake() {
        restTimeout.disarm();
    }

    private void onRestedTooLong() {
        if (frontend == null) {
            channel.close();
        }
    }

    /** The handler of an upstream HTTP/1.1 connection, or null once it has left the pipeline. */
    static BackendHandler of(Channel channel) {
        return channel.attr(OF_CHANNEL).get();
    }

    @Override
    public void attach(FrontendHandler frontend) {
        this.frontend = frontend;
    }

    @Override
    public void detach() {
        this.frontend = null;
    }

    @Override
    public void read() {
        if (readAskedAtRest) {
            // still pending since the rest: a read that brought a message would have closed the connection, and one
            // that brought part of a message asked again (the decoder does, with auto-read off)
            readAskedAtRest = false;
            return;
        }
        channel.read();
    }

    @Override
    public ChannelFuture writeAndFlush(HttpObject message) {
        return channel.writeAndFlush(message);
    }

    @Override
    public void writeLastAndFlush(HttpObject message) {
        channel.writeAndFlush(message, channel.voidPromise()); // a failure reaches this pipeline, which closes
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public boolean isStream() {
        return false;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (frontend == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        frontend.onUpstreamMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (frontend != null) {
            frontend.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (frontend != null) {
            frontend.onUpstreamClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
