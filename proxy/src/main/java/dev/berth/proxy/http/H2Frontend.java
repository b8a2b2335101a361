package dev.berth.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.time.Duration;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frontend of a downstream h2 connection, behind Netty's h2 frame codec: one {@link H2Stream} per request
 * stream, each with its own {@link FrontendHandler}, all on this one pipeline. Where Netty's multiplexer gives every
 * stream a child channel with a pipeline of its own, a registration and a promise per write relayed to the parent,
 * this dispatches frames by stream id (a fifth of an h2c request's work went to that machinery: benchmarks/README.md).
 */
final class H2Frontend extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(H2Frontend.class);

    private final ProxyContext shared;
    /** {@code http} or {@code https}, for the forwarded headers of every stream. */
    private final String scheme;
    private final long idleNanos;
    private final IntObjectMap<H2Stream> streams = new IntObjectHashMap<>();
    private Http2Connection connection;
    /** The connection without a stream for the keep-alive timeout is closed (GOAWAY first), as an idle HTTP/1.1 one. */
    private Deadline idle;

    /**
     * @param scheme {@code http} (h2c) or {@code https} (h2 over TLS)
     * @param idleTimeout how long the connection may stay without a stream
     */
    H2Frontend(ProxyContext shared, String scheme, Duration idleTimeout) {
        this.shared = shared;
        this.scheme = scheme;
        this.idleNanos = idleTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.connection = ctx.pipeline().get(Http2FrameCodec.class).connection();
        this.idle = new Deadline(ctx.executor(), () -> {
            if (streams.isEmpty()) {
                ctx.close(); // the h2 codec says GOAWAY before it closes
            }
        });
        idle.arm(idleNanos);
        H2ConnectionWindow.widen(ctx); // the connection is active: the codec ahead of this has sent its preface
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        idle.disarm();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame headers) {
            H2Stream stream = streams.get(headers.stream().id());
            if (stream == null) {
                stream = new H2Stream(ctx, connection, headers.stream());
                streams.put(stream.id(), stream);
            }
            stream.onHeaders(headers, shared, scheme);
        } else if (msg instanceof Http2DataFrame data) {
            H2Stream stream = streams.get(data.stream().id());
            if (stream == null) {
                data.release(); // its stream was reset here; the codec gives its bytes back when it closes
            } else {
                stream.onData(data);
            }
        } else if (msg instanceof Http2ResetFrame reset) {
            closed(reset.stream());
        } else {
            ReferenceCountUtil.release(msg); // SETTINGS, PING, GOAWAY…: the codec has answered them
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof Http2FrameStreamEvent streamEvent) {
            Http2FrameStream frameStream = streamEvent.stream();
            if (streamEvent.type() == Http2FrameStreamEvent.Type.Writability) {
                H2Stream stream = streams.get(frameStream.id());
                if (stream != null) {
                    stream.onWritabilityChanged();
                }
            } else if (frameStream.state() == Http2Stream.State.CLOSED) {
                closed(frameStream);
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    private void closed(Http2FrameStream frameStream) {
        H2Stream stream = streams.remove(frameStream.id());
        if (stream != null) {
            stream.onClosed();
            if (streams.isEmpty()) {
                idle.arm(idleNanos);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        for (H2Stream stream : new ArrayList<>(streams.values())) {
            stream.onWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idle.disarm();
        for (H2Stream stream : new ArrayList<>(streams.values())) {
            stream.onClosed();
        }
        streams.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2FrameStreamException streamError) {
            // The codec has reset the stream itself for an error in what the client sent; for one in what was
            // written, or a stream that failed before its HEADERS reached here, the reset is ours to send.
            Http2FrameStream frameStream = streamError.stream();
            H2Stream stream = streams.get(frameStream.id());
            if (stream != null) {
                stream.reset(streamError.error());
                closed(frameStream);
            } else if (frameStream.state() != Http2Stream.State.CLOSED) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(streamError.error()).stream(frameStream));
            }
            return;
        }
        log.debug("h2 downstream {} failed", ctx.channel(), cause);
        ctx.close();
    }
}
