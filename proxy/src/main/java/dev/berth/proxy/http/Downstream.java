package dev.berth.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.HttpObject;

/**
 * Where a {@link FrontendHandler} takes its requests from and sends its responses to, as HTTP/1 messages: an HTTP/1.1
 * connection ({@link Connection}) or one stream of an h2 connection ({@link H2Stream}, frames without a channel of
 * its own). Event-loop confined, like the frontend.
 */
interface Downstream {
    /** Asks for what follows of the request: the next read of a connection; on a stream, the window back for what came. */
    void read();

    /** Queues a response message for the next flush; a failure to write it ends the downstream. */
    void write(HttpObject message);

    /** Writes and flushes a response message; a failure to write it ends the downstream. */
    void writeAndFlush(HttpObject message);

    void flush();

    /** Whether the client takes what is written as fast as it comes; the response is read on only while it does. */
    boolean isWritable();

    /**
     * The exchange was the last: a connection closes once what was written before has left, a stream has ended with
     * its last write. Only this costs a write promise; the writes of a kept connection go with void ones.
     */
    void endAfterWrites();

    /** Ends it now, in the middle of an exchange: a connection closes, an open stream is reset. */
    void close();

    /** The TCP connection the client speaks on. */
    Channel connection();

    /** An h2 stream, which carries one request and has no keep-alive of its own. */
    boolean isStream();

    /** An HTTP/1.1 connection, the frontend's own pipeline position. */
    record Connection(ChannelHandlerContext ctx) implements Downstream {
        @Override
        public void read() {
            ctx.read();
        }

        @Override
        public void write(HttpObject message) {
            ctx.write(message, ctx.voidPromise()); // a failed write reaches exceptionCaught
        }

        @Override
        public void writeAndFlush(HttpObject message) {
            ctx.writeAndFlush(message, ctx.voidPromise());
        }

        @Override
        public void flush() {
            ctx.flush();
        }

        @Override
        public boolean isWritable() {
            return ctx.channel().isWritable();
        }

        /**
         * Closes at once when the kernel has every byte written (epoll usually has by now; the close still sends
         * them): no promise, and the FIN goes right behind the response, as HAProxy sends it. Otherwise (a write in
         * flight on io_uring, a client that reads slowly) after the writes, by a write of its own.
         */
        @Override
        public void endAfterWrites() {
            ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
            if (pending == null || pending.totalPendingWriteBytes() == 0) { // each message counts, an empty one too
                close();
                return;
            }
            // an empty buffer passes the HTTP encoder untouched and completes after every write queued before it
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        /**
         * Closes the connection unless it has closed already: the frontend ends its exchange on channelInactive too,
         * which is every connection's end, and a second close would still cost a promise, a pass through the pipeline
         * and an exception object in Netty's channel.
         */
        @Override
        public void close() {
            if (ctx.channel().isOpen()) {
                ctx.close();
            }
        }

        @Override
        public Channel connection() {
            return ctx.channel();
        }

        @Override
        public boolean isStream() {
            return false;
        }
    }
}
