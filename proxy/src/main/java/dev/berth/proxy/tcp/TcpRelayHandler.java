package dev.berth.proxy.tcp;

import dev.berth.proxy.transport.EpollHalfCloseGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of a TCP relay, sitting on the source channel and moving its bytes to the target; a connection has
 * two, one on each channel, paired so each can wake the other. Both channels share one event loop, so no field needs
 * to be volatile.
 *
 * <p><b>Splice</b> (epoll): one {@code spliceTo(target, Integer.MAX_VALUE)} moves every byte socket → pipe → socket
 * in the kernel; each {@code read()} splices one round and Netty clears EPOLLIN afterwards (AUTO_READ is off), so we
 * ask for the next round after each, once the target is writable again (see
 * {@link RelayContext#SPLICE_AWARE_ESTIMATOR}). <b>ByteBuf</b> (the default): HexDumpProxy's relay, reading the
 * next chunk only while the target is writable. Either way, back-pressure is the target's writability.
 *
 * <p><b>Half-close</b>: the source's FIN ({@link ChannelInputShutdownEvent}, ALLOW_HALF_CLOSURE is on) becomes the
 * target's {@code shutdownOutput()} after the last byte, while the other direction keeps flowing. On epoll Netty
 * 4.2.18 ends a splice at the FIN after one more round although the kernel may still hold received bytes; those
 * (at most one receive buffer) are read here from the socket, which no longer blocks after the FIN, and written as
 * ByteBufs behind the spliced ones. Without this, {@code TcpRelayTest.finBehindQueuedBytesLosesNothing} loses about
 * 94 KiB of 512 KiB on epoll. A half-closed epoll socket must also stay registered for EPOLLOUT while the other
 * direction still writes to it, which Netty 4.2.18 gets wrong on its own: see {@link EpollHalfCloseGuard}.
 */
final class TcpRelayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TcpRelayHandler.class);
    private static final int TAIL_CHUNK = 64 * 1024;
    private static final int TAIL_CHUNKS_PER_TURN = 16;

    private final TcpConnection connection;
    private final Channel target;
    private final RelayContext context;
    private TcpRelayHandler reverse;
    private ChannelHandlerContext ctx;
    private boolean started;
    private boolean inputDone;
    private boolean drainingTail;
    private boolean readScheduled;
    private final Runnable scheduledRead = () -> {
        readScheduled = false;
        readNow();
    };

    TcpRelayHandler(TcpConnection connection, Channel target, RelayContext context) {
        this.connection = connection;
        this.target = target;
        this.context = context;
    }

    void pairWith(TcpRelayHandler other) {
        this.reverse = other;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Begins relaying; the source reads nothing before this, so no byte can overtake the PROXY header.
     *
     * @param sourceAlreadyFinished the source's FIN arrived before the relay began (epoll reads up to it on RDHUP)
     *
     * <p>{@code spliceTo} is deprecated in Netty 4.2.18 ("will be removed in the future") with no replacement; it is
     * still the only socket-to-socket splice Netty has. Should it go, {@code splice = false} is the ByteBuf relay
     * this class already runs on io_uring and NIO.
     */
    @SuppressWarnings("deprecation")
    void start(boolean sourceAlreadyFinished) {
        started = true;
        if (sourceAlreadyFinished) {
            sourceFinished(); // nothing to splice or read but what the kernel may still hold behind the FIN
            return;
        }
        if (context.splice()) {
            context.counters().spliceStarted();
            ((EpollSocketChannel) ctx.channel()).spliceTo((EpollSocketChannel) target, Integer.MAX_VALUE)
                    .addListener(this::spliceEnded);
        }
        readMore();
    }

    /**
     * A splice "fails" when its source reaches the FIN in mid-round; that is the normal end of a direction, and the
     * FIN path ({@link #sourceFinished}) moves what is left. Any other failure ends the connection.
     */
    private void spliceEnded(io.netty.util.concurrent.Future<? super Void> splice) {
        if (!splice.isSuccess() && !((DuplexChannel) ctx.channel()).isInputShutdown()) {
            log.debug("tcp relay: splice from {} failed", ctx.channel().remoteAddress(), splice.cause());
            connection.abort();
        }
    }

    /**
     * Asks the source for the next chunk (or splice round) if the target can take it; called again on writability.
     * A splice round ends by clearing EPOLLIN, also when a handler asked for a read during that round (from
     * {@code channelReadComplete} or a writability change), so in splice mode the request waits for the round to end.
     */
    private void readMore() {
        if (!started) {
            return;
        }
        if (!context.splice()) {
            readNow();
        } else if (!readScheduled) {
            readScheduled = true;
            ctx.executor().execute(scheduledRead);
        }
    }

    private void readNow() {
        if (drainingTail) {
            drainTail();
        } else if (!inputDone && target.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            context.counters().buffered(bytes.readableBytes());
        }
        target.write(msg).addListener(connection.abortOnFailure());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        target.flush();
        if (context.splice()) {
            context.counters().splicedRead();
        }
        readMore();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && reverse != null) {
            reverse.readMore(); // this channel is the reverse direction's target
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !inputDone) {
            EpollHalfCloseGuard.inputFinished(ctx.channel()); // the reverse direction still writes to this channel
            sourceFinished();
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** The source's FIN: pass it on behind every byte before it (in splice mode some may still be in the kernel). */
    private void sourceFinished() {
        inputDone = true;
        if (context.splice()) {
            drainingTail = true;
            drainTail();
        } else {
            passFinOn();
        }
    }

    /**
     * Reads what the kernel still holds after the FIN and writes it behind the spliced bytes, while the target is
     * writable; resumed by {@link #readMore} otherwise. After a FIN the socket answers at once: data or end of stream.
     */
    private void drainTail() {
        var fd = ((EpollSocketChannel) ctx.channel()).fd();
        for (int chunks = 0; target.isWritable(); chunks++) {
            if (chunks == TAIL_CHUNKS_PER_TURN) {
                readMore(); // a receive buffer can hold megabytes: let the loop's other channels have a turn
                return;
            }
            ByteBuf chunk = ctx.alloc().directBuffer(TAIL_CHUNK);
            int read;
            try {
                ByteBuffer window = chunk.internalNioBuffer(chunk.writerIndex(), chunk.writableBytes());
                read = fd.read(window, window.position(), window.limit());
            } catch (IOException e) {
                chunk.release();
                log.debug("tcp relay: reading after FIN from {} failed", ctx.channel().remoteAddress(), e);
                connection.abort();
                return;
            }
            if (read <= 0) {
                chunk.release(); // -1 is the end of the stream; 0 (would block) cannot follow a FIN and ends it too
                drainingTail = false;
                passFinOn();
                return;
            }
            chunk.writerIndex(read);
            context.counters().buffered(read);
            target.writeAndFlush(chunk).addListener(connection.abortOnFailure());
        }
    }

    /** Sends the source's FIN on to the target after everything queued before it. */
    private void passFinOn() {
        target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (!written.isSuccess()) {
                connection.abort();
                return;
            }
            ((DuplexChannel) target).shutdownOutput().addListener(shut -> {
                if (shut.isSuccess()) {
                    EpollHalfCloseGuard.outputShut(target);
                    connection.directionFinished();
                } else {
                    connection.abort();
                }
            });
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("tcp relay: {} failed", ctx.channel().remoteAddress(), cause);
        connection.abort();
    }
}
