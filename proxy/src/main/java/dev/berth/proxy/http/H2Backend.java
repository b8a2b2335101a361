package dev.berth.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * The client end of an upstream h2 connection, behind Netty's h2 frame codec: opens {@link H2UpstreamStream}s and
 * hands each the frames of its stream by id, where Netty's multiplexer would give every stream a child channel with a
 * pipeline, a registration and a promise per write relayed to the parent (that machinery was in half of the samples of
 * h2c proxied to an h2c backend: benchmarks/README.md). Also says when the endpoint's first SETTINGS have come, so
 * streams are placed within the endpoint's limit of concurrent streams.
 */
final class H2Backend extends Http2ChannelDuplexHandler {
    private final Promise<Void> settled;
    private final IntObjectMap<H2UpstreamStream> streams = new IntObjectHashMap<>();
    /** The streams given frames in the current read of the connection, to tell when it is over. */
    private final List<H2UpstreamStream> touched = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private Http2Connection connection;

    /** @param settled completed at the endpoint's first SETTINGS (then applied); its owner fails it if the connection goes first */
    H2Backend(Promise<Void> settled) {
        this.settled = settled;
    }

    @Override
    protected void handlerAdded0(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.connection = ctx.pipeline().get(Http2FrameCodec.class).connection();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive(); // the codec's preface went before this
        H2ConnectionWindow.widen(ctx);
    }

    /** The codec's state of the connection: its limits, as the endpoint's SETTINGS set them. */
    Http2Connection connection() {
        return connection;
    }

    /** A new stream on this connection; it takes its id with its HEADERS. */
    H2UpstreamStream newUpstreamStream(H2UpstreamStream.Home home) {
        return new H2UpstreamStream(ctx, this, newStream(), home);
    }

    /** Its HEADERS went: its frames come here by its id from now on. */
    void opened(H2UpstreamStream stream) {
        streams.put(stream.id(), stream);
    }

    void forget(H2UpstreamStream stream) {
        streams.remove(stream.id(), stream);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame || msg instanceof Http2DataFrame) {
            Http2FrameStream frameStream = msg instanceof Http2HeadersFrame headers ? headers.stream() : ((Http2DataFrame) msg).stream();
            H2UpstreamStream stream = streams.get(frameStream.id());
            if (stream == null) {
                ReferenceCountUtil.release(msg); // let go of here already; the codec resets or has closed it
                return;
            }
            stream.onFrame(msg);
            touched.add(stream);
            return;
        }
        if (msg instanceof Http2SettingsFrame) {
            settled.trySuccess(null);
        } else if (msg instanceof Http2ResetFrame reset) {
            H2UpstreamStream stream = streams.get(reset.stream().id());
            if (stream != null) {
                stream.onReset(reset.errorCode()); // its close follows as an event
            }
        }
        ReferenceCountUtil.release(msg); // SETTINGS, PING, GOAWAY, resets (a stream's close follows as an event)
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // the window updates of what was handed over
        // what the frontends do now writes and reads elsewhere; no frame of this connection comes in meanwhile
        for (int i = 0; i < touched.size(); i++) {
            touched.get(i).onReadComplete();
        }
        touched.clear();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof Http2FrameStreamEvent streamEvent) {
            if (streamEvent.type() == Http2FrameStreamEvent.Type.State && streamEvent.stream().state() == Http2Stream.State.CLOSED) {
                H2UpstreamStream stream = streams.get(streamEvent.stream().id());
                if (stream != null) {
                    stream.onClosed();
                }
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (H2UpstreamStream stream : new ArrayList<>(streams.values())) {
            stream.onClosed();
        }
        streams.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2FrameStreamException streamError) {
            H2UpstreamStream stream = streams.get(streamError.stream().id());
            if (stream != null) {
                stream.close(); // a stream error in what the endpoint sent: reset, and its frontend answers 502
            }
            return;
        }
        ctx.close();
    }
}
