package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream of a downstream h2 connection, without a channel of its own: {@link H2Frontend} hands it the stream's
 * frames, it hands its {@link FrontendHandler} the request as HTTP/1 messages and writes the response as frames on the
 * connection. Request bodies are flow-controlled by the stream's window, as a channel with auto-read off would be:
 * what follows the request head waits here until the frontend asks for more ({@link #read}, after it forwarded the
 * previous chunk), one frame per ask, and a frame's bytes go back to the client's window ({@code WINDOW_UPDATE}) when
 * it is handed over. So a slow upstream holds the client back, and no more than the window waits here. Once the
 * stream has closed (ended both ways, or reset), what is still written to it is dropped: the h2 codec would take a
 * frame for a stream it no longer knows as a connection error.
 *
 * <p>After an RFC 8441 WebSocket handshake the stream is a byte tunnel instead ({@link H2WebSocketTunnel}): its DATA
 * payloads go to the tunnel, and the tunnel writes DATA frames.
 */
final class H2Stream implements Downstream {
    private static final Logger log = LoggerFactory.getLogger(H2Stream.class);
    private final ChannelHandlerContext h2; // the H2Frontend's place on the connection, behind the h2 codec
    /** The codec's state of this stream, looked up once: its writability is asked after every upstream read. */
    private final Http2Stream state;
    private final Http2RemoteFlowController flowController;
    private final Http2FrameStream stream;
    private FrontendHandler frontend;
    private H2WebSocketTunnel.FromStream tunnel;
    /** What came after the request head and waits for {@link #read}: DATA frames, or trailers as HTTP/1. */
    private final ArrayDeque<Object> inbound = new ArrayDeque<>(4);
    /** The frontend asked for more and nothing was there: the next frame goes to it at once. */
    private boolean readPending;
    private boolean requestStarted;
    private boolean closed;

    H2Stream(ChannelHandlerContext h2, Http2Connection connection, Http2FrameStream stream) {
        this.h2 = h2;
        this.state = connection.stream(stream.id());
        this.flowController = connection.remote().flowController();
        this.stream = stream;
    }

    int id() {
        return stream.id();
    }

    void onHeaders(Http2HeadersFrame frame, ProxyContext shared, String scheme) {
        if (closed) {
            return; // reset here a moment ago; its close is on the way
        }
        Http2Headers headers = frame.headers();
        HttpObject message;
        try {
            message = requestStarted ? Http1FromH2.trailers(stream.id(), headers, true)
                    : Http1FromH2.request(stream.id(), headers, frame.isEndStream());
        } catch (Http2Exception | RuntimeException malformed) {
            reset(Http2Error.PROTOCOL_ERROR);
            return;
        }
        if (requestStarted) {
            arrived(message); // trailers: after the body
            return;
        }
        requestStarted = true;
        frontend = FrontendHandler.forStream(shared, this, scheme);
        hand(message);
    }

    void onData(Http2DataFrame frame) {
        if (closed) {
            frame.release(); // the codec gives a closed stream's bytes back to the connection window itself
            return;
        }
        arrived(frame);
    }

    private void arrived(Object frameOrTrailers) {
        if (readPending && inbound.isEmpty()) {
            readPending = false;
            handOver(frameOrTrailers);
        } else {
            inbound.add(frameOrTrailers);
        }
    }

    /** Gives a DATA frame's bytes back to the client's window and hands it (or trailers) to the frontend or tunnel. */
    private void handOver(Object frameOrTrailers) {
        if (!(frameOrTrailers instanceof Http2DataFrame data)) {
            if (tunnel != null) {
                ReferenceCountUtil.release(frameOrTrailers); // trailers mean nothing to a tunnel
                read();
            } else {
                hand((HttpObject) frameOrTrailers);
            }
            return;
        }
        int bytes = data.initialFlowControlledBytes();
        if (bytes > 0) {
            h2.write(new DefaultHttp2WindowUpdateFrame(bytes).stream(stream), h2.voidPromise());
            h2.flush();
        }
        if (tunnel != null) {
            tunnel.onData(data);
        } else {
            hand(Http1FromH2.content(data));
        }
    }

    /** A request message to the frontend; what it throws resets this stream, not the connection. */
    private void hand(HttpObject message) {
        if (frontend == null) {
            ReferenceCountUtil.release(message);
            return;
        }
        try {
            frontend.onRequestMessage(message);
        } catch (RuntimeException failure) {
            log.warn("h2 stream {}: {}", stream.id(), failure.toString(), failure);
            reset(Http2Error.INTERNAL_ERROR);
            frontend.onDownstreamClosed();
        }
    }

    /** The stream has closed (ended both ways, reset by the client, or the connection went). */
    void onClosed() {
        closed = true;
        while (!inbound.isEmpty()) {
            ReferenceCountUtil.release(inbound.poll());
        }
        if (tunnel != null) {
            tunnel.onStreamClosed();
        } else if (frontend != null) {
            frontend.onDownstreamClosed();
        }
    }

    void onWritabilityChanged() {
        if (tunnel == null && frontend != null) {
            frontend.onDownstreamWritabilityChanged();
        }
    }

    /** Hands the stream to a WebSocket tunnel: from now on its DATA goes there. */
    void becomeTunnel(H2WebSocketTunnel.FromStream fromStream) {
        this.tunnel = fromStream;
        this.frontend = null;
    }

    @Override
    public void read() {
        if (closed) {
            return;
        }
        Object next = inbound.poll();
        if (next == null) {
            readPending = true;
        } else {
            handOver(next);
        }
    }

    @Override
    public void write(HttpObject message) {
        if (closed) {
            ReferenceCountUtil.release(message);
            return;
        }
        toFrames(message);
    }

    @Override
    public void writeAndFlush(HttpObject message) {
        write(message);
        h2.flush();
    }

    /** Writes a DATA frame of the tunnel's; the future tells when it left. */
    ChannelFuture writeData(ByteBuf bytes, boolean endStream) {
        if (closed) {
            bytes.release();
            return h2.newSucceededFuture();
        }
        return h2.writeAndFlush(new DefaultHttp2DataFrame(bytes, endStream).stream(stream));
    }

    /**
     * An HTTP/1 response message as h2 frames (Netty's {@code Http2StreamFrameToHttpObjectCodec} rules): a head becomes
     * HEADERS (ending the stream when a whole message has no body and no trailers; a 1xx never ends it), a body chunk
     * DATA, a last chunk DATA with END_STREAM or, with trailers, DATA and a trailing HEADERS that ends the stream.
     * The frames go with void promises: a failure to write them is the connection's (the stream's own errors are
     * avoided by writing nothing once it has closed).
     */
    private void toFrames(HttpObject message) {
        if (message instanceof HttpMessage head) {
            boolean informational = head instanceof HttpResponse response
                    && response.status().codeClass() == HttpStatusClass.INFORMATIONAL && response.status().code() != 101;
            boolean bodiless = message instanceof FullHttpMessage full && H2MessageEnd.isEmpty(full);
            Http2Headers headers = head instanceof HttpResponse response ? H2ResponseHead.of(response)
                    : HttpConversionUtil.toHttp2Headers(head, false);
            send(new DefaultHttp2HeadersFrame(headers, bodiless && !informational));
            if (bodiless || informational) {
                ReferenceCountUtil.release(message);
                return;
            }
        }
        if (message instanceof LastHttpContent end) {
            H2MessageEnd ending = H2MessageEnd.of(end);
            if (ending.data() != null) {
                send(ending.data());
            }
            if (ending.trailers() != null) {
                send(ending.trailers());
            }
        } else if (message instanceof HttpContent chunk) {
            send(new DefaultHttp2DataFrame(chunk.content(), false));
        }
    }

    private void send(Http2StreamFrame frame) {
        if (closed) {
            ReferenceCountUtil.release(frame); // a HEADERS write just failed and reset the stream
            return;
        }
        h2.write(frame.stream(stream), h2.voidPromise());
    }

    @Override
    public void flush() {
        h2.flush();
    }

    @Override
    public boolean isWritable() {
        if (closed || !h2.channel().isWritable()) {
            return false;
        }
        return state != null && flowController.isWritable(state);
    }

    @Override
    public void endAfterWrites() {
        // the last write carried END_STREAM: the stream closes when the client's side has ended too
    }

    @Override
    public void close() {
        reset(Http2Error.CANCEL);
    }

    void reset(Http2Error error) {
        if (!closed) {
            closed = true;
            h2.writeAndFlush(new DefaultHttp2ResetFrame(error).stream(stream)); // not a void promise: its failure is no connection's
        }
    }

    @Override
    public Channel connection() {
        return h2.channel();
    }

    @Override
    public boolean isStream() {
        return true;
    }
}
