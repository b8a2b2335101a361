package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.Queue;

/**
 * The byte tunnel of an RFC 8441 WebSocket (see {@link ExtendedConnect}): an h2 stream's DATA frames on one side,
 * an HTTP/1.1 upstream connection's bytes on the other. Like {@link RelayHandler}, each side reads its next chunk
 * only after the previous one was written to the other (the stream's flow-control window holds the client back
 * meanwhile). The client's END_STREAM becomes the upstream's FIN; the upstream's close ends the stream with an empty
 * DATA frame. Both channels share one event loop.
 */
final class H2WebSocketTunnel {
    private H2WebSocketTunnel() {
    }

    /**
     * Turns an h2 stream whose extended CONNECT got its 200 into the tunnel, once the upstream connection that got the
     * 101 relays with {@link FromUpstream} (its HTTP codec gone). {@code early} holds what the stream delivered
     * before, decoded as HTTP content; it goes up first.
     */
    static void open(H2Stream stream, Channel upstream, Queue<Object> early) {
        boolean clientEnded = false;
        while (!early.isEmpty()) {
            Object message = early.poll();
            clientEnded |= message instanceof LastHttpContent;
            if (message instanceof HttpContent content && content.content().isReadable()) {
                upstream.write(content.content());
            } else {
                ReferenceCountUtil.release(message);
            }
        }
        upstream.flush();
        if (clientEnded) {
            ((DuplexChannel) upstream).shutdownOutput();
        }
        stream.becomeTunnel(new FromStream(stream, upstream));
        stream.read();
        upstream.read();
    }

    /** The h2 stream's side: DATA payloads go up as bytes. */
    static final class FromStream {
        private final H2Stream stream;
        private final Channel upstream;

        FromStream(H2Stream stream, Channel upstream) {
            this.stream = stream;
            this.upstream = upstream;
        }

        void onData(Http2DataFrame data) {
            boolean end = data.isEndStream();
            upstream.writeAndFlush(data.content()).addListener((ChannelFutureListener) written -> {
                if (!written.isSuccess()) {
                    stream.close();
                } else if (end) {
                    ((DuplexChannel) upstream).shutdownOutput();
                } else {
                    stream.read();
                }
            });
        }

        /** A reset stream, or the connection went. */
        void onStreamClosed() {
            RelayHandler.closeOnFlush(upstream);
        }
    }

    /** On the upstream connection: bytes go down as DATA frames. */
    static final class FromUpstream extends ChannelInboundHandlerAdapter {
        private final H2Stream stream;

        FromUpstream(H2Stream stream) {
            this.stream = stream;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            stream.writeData((ByteBuf) msg, false).addListener((ChannelFutureListener) written -> {
                if (written.isSuccess()) {
                    ctx.read();
                } else {
                    ctx.close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stream.writeData(Unpooled.EMPTY_BUFFER, true);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
