package dev.berth.proxy.tcp;

import dev.berth.proxy.balance.Balancer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * One proxied connection: the downstream and upstream channels, the endpoint the balancer picked for it, and
 * which directions have finished. Both channels live on one event loop, so no field needs to be volatile.
 *
 * <p>A direction is finished when its source sent FIN and that FIN was passed on ({@code shutdownOutput}) after
 * the last byte; the connection closes when both are, or at once on an error or a reset.
 */
final class TcpConnection {
    private final Channel downstream;
    private final Balancer balancer;
    private final int loop;
    private final int endpoint;
    private final long startNanos;
    private Channel upstream;
    private int finishedDirections;
    private boolean closed;

    TcpConnection(Channel downstream, Balancer balancer, int loop, int endpoint) {
        this.downstream = downstream;
        this.balancer = balancer;
        this.loop = loop;
        this.endpoint = endpoint;
        this.startNanos = System.nanoTime();
        balancer.onStart(loop, endpoint);
    }

    void upstream(Channel channel) {
        this.upstream = channel;
    }

    /** One direction's FIN went through; the second one ends the connection. */
    void directionFinished() {
        if (++finishedDirections == 2) {
            close();
        }
    }

    /** Ends the connection after what either side has already been handed is flushed (a peer closed, both FINs went). */
    void close() {
        if (finish()) {
            closeOnFlush(downstream);
            if (upstream != null) {
                closeOnFlush(upstream);
            }
        }
    }

    /** Ends the connection now, dropping anything unsent (an error, a failed connect). */
    void abort() {
        if (finish()) {
            downstream.close();
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    /** A listener for writes and shutdowns: a failure aborts the connection. */
    ChannelFutureListener abortOnFailure() {
        return future -> {
            if (!future.isSuccess()) {
                abort();
            }
        };
    }

    private boolean finish() {
        if (closed) {
            return false;
        }
        closed = true;
        balancer.onFinish(loop, endpoint, System.nanoTime() - startNanos);
        return true;
    }

    private static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }
}
