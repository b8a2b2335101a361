package dev.berth.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
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
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;

/**
 * One request's stream on an upstream h2 connection, without a channel of its own ({@link H2Backend} hands it the
 * stream's frames): the request goes up as frames, the response comes to the frontend as HTTP/1 messages, as
 * {@link H2Stream} does for a downstream stream. A response is flow-controlled by the stream's window: what arrives
 * while the frontend has not asked ({@link #read}, which it does while its client keeps up) waits here, and a DATA
 * frame's bytes go back to the endpoint's window when it is handed over, so no more than the window waits here.
 *
 * <p>A request the endpoint did not process — its stream refused ({@code REFUSED_STREAM}), or above the last stream a
 * GOAWAY says the endpoint will process, as a server shutting down gracefully sends — goes again, once, on a connection
 * with room, when it had no body (its headers are kept for that; it goes again as one HEADERS frame) and no response
 * has begun (RFC 9113 §8.7: such a request is safe to retry); the frontend keeps talking to this stream, which hands on
 * to its successor. Anything else ends as a closed upstream does (a 502).
 */
final class H2UpstreamStream implements Upstream {

    /** The connection a stream is on, as the stream needs it. */
    interface Home {
        /** The stream is done with: the connection has room for another. */
        void streamEnded();

        /** A stream to the same endpoint, on a connection with room, for a request that goes again. */
        Future<Upstream> reopen();
    }

    private final ChannelHandlerContext h2; // the H2Backend's place on the connection, behind the h2 codec
    private final H2Backend backend;
    private final Http2FrameStream stream;
    private final Home home;
    private FrontendHandler frontend;
    /** What came and waits for {@link #read}: a response head or trailers as HTTP/1, DATA frames as they came. */
    private final ArrayDeque<Object> inbound = new ArrayDeque<>(4);
    private boolean readPending;
    /** Something went to the frontend in this read of the connection: it hears of the read's end. */
    private boolean delivered;
    private boolean responseStarted;
    /** The endpoint ended its side (END_STREAM came, perhaps still waiting here). */
    private boolean responseEnded;
    /** This side ended (END_STREAM went). */
    private boolean requestEnded;
    private boolean closed;
    private boolean ended;
    /** The request's headers as sent, and whether any of its body went. */
    private Http2Headers sentHeaders;
    private boolean bodySent;
    /** The headers of a request without a body, kept to send again (as one HEADERS frame) if the endpoint refuses it. */
    private Http2Headers retryable;
    private boolean refused;
    /** This is a request's second stream: it is not sent a third time. */
    private boolean retried;
    /** Refused; a new stream is being opened for the request. */
    private boolean moving;
    /** The stream the request went again on: everything the frontend asks of this one goes there. */
    private H2UpstreamStream successor;
    /** A request message that failed to go ends the stream; the frontend, if still waiting, hears that it ended. */
    private final ChannelFutureListener closeIfFailed = written -> {
        if (!written.isSuccess()) {
            close();
        }
    };

    H2UpstreamStream(ChannelHandlerContext h2, H2Backend backend, Http2FrameStream stream, Home home) {
        this.h2 = h2;
        this.backend = backend;
        this.stream = stream;
        this.home = home;
    }

    @Override
    public void attach(FrontendHandler frontend) {
        this.frontend = frontend;
    }

    @Override
    public void detach() {
        this.frontend = null;
        if (successor != null) {
            successor.detach();
        }
    }

    @Override
    public void read() {
        if (successor != null) {
            successor.read();
            return;
        }
        readPending = true;
        if (moving) {
            return;
        }
        boolean handed = false;
        while (readPending && !inbound.isEmpty() && frontend != null) {
            handOver(inbound.poll());
            handed = true;
        }
        if (handed) {
            h2.flush(); // the window updates of what was handed over
            if (frontend != null) {
                readPending = false;
                frontend.onUpstreamReadComplete();
            }
        }
    }

    @Override
    public ChannelFuture writeAndFlush(HttpObject message) {
        if (successor != null) {
            return successor.writeAndFlush(message);
        }
        ChannelFuture written = write(message, h2.newPromise());
        h2.flush();
        return written.addListener(closeIfFailed);
    }

    @Override
    public void writeLastAndFlush(HttpObject message) {
        writeAndFlush(message);
    }

    /** The request message as frames (Netty's {@code Http2StreamFrameToHttpObjectCodec} rules); the future of the last. */
    private ChannelFuture write(HttpObject message, ChannelPromise promise) {
        if (requestEnded && message instanceof LastHttpContent end) {
            // the end of a request whose head said it had no body: its HEADERS ended the stream already
            boolean empty = H2MessageEnd.isEmpty(end);
            end.release();
            return empty ? promise.setSuccess() : promise.setFailure(new IllegalStateException("a body after a head that said there was none"));
        }
        if (closed) {
            ReferenceCountUtil.release(message);
            return promise.setFailure(new IllegalStateException("the upstream stream has ended"));
        }
        ChannelFuture last = null;
        if (message instanceof HttpMessage head) {
            head.headers().set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), "http"); // h2c; read for :scheme, not sent
            boolean bodiless;
            Http2Headers headers;
            try {
                bodiless = message instanceof FullHttpMessage full ? H2MessageEnd.isEmpty(full) : saysNoBody(head);
                headers = HttpConversionUtil.toHttp2Headers(head, false);
            } catch (RuntimeException malformed) {
                ReferenceCountUtil.release(message);
                return promise.setFailure(malformed);
            }
            last = send(new DefaultHttp2HeadersFrame(headers, bodiless), bodiless ? promise : h2.newPromise());
            sentHeaders = headers;
            if (stream.id() > 0) {
                backend.opened(this);
            }
            if (bodiless) {
                retryable = retried ? null : headers;
                ReferenceCountUtil.release(message);
                return last;
            }
        }
        if (message instanceof LastHttpContent end) {
            if (!bodySent && H2MessageEnd.isEmpty(end) && !retried) {
                retryable = sentHeaders; // it had no body after all (an h2 client's HEADERS, then an empty DATA ending it)
            }
            H2MessageEnd ending = H2MessageEnd.of(end);
            if (ending.data() != null) {
                last = send(ending.data(), ending.trailers() != null ? h2.newPromise() : promise);
            }
            if (ending.trailers() != null) {
                last = send(ending.trailers(), promise);
            }
        } else if (message instanceof HttpContent chunk) {
            bodySent |= chunk.content().isReadable();
            last = send(new DefaultHttp2DataFrame(chunk.content(), false), promise);
        }
        return last != null ? last : promise.setSuccess();
    }

    /**
     * A head that comes without its body, yet says there is none: neither a length above 0 nor chunked framing, as an
     * HTTP/1.1 GET comes (h2 requests without a length that may have a body are made chunked by the frontend). It goes
     * as one HEADERS frame that ends the stream, not as HEADERS and an empty DATA frame after it.
     */
    private static boolean saysNoBody(HttpMessage head) {
        return !HttpUtil.isTransferEncodingChunked(head) && HttpUtil.getContentLength(head, 0L) == 0;
    }

    private ChannelFuture send(Http2StreamFrame frame, ChannelPromise promise) {
        requestEnded |= frame instanceof Http2HeadersFrame headers ? headers.isEndStream() : ((Http2DataFrame) frame).isEndStream();
        return h2.write(frame.stream(stream), promise);
    }

    int id() {
        return stream.id();
    }

    /** The endpoint reset the stream; its close follows. */
    void onReset(long errorCode) {
        refused = errorCode == Http2Error.REFUSED_STREAM.code();
    }

    /** A frame of this stream's response, from the connection. */
    void onFrame(Object frame) {
        Object message;
        if (frame instanceof Http2HeadersFrame headers) {
            message = fromHeaders(headers);
            if (message == null) {
                return;
            }
            responseEnded |= headers.isEndStream();
        } else {
            Http2DataFrame data = (Http2DataFrame) frame;
            responseEnded |= data.isEndStream();
            message = data;
        }
        if (readPending && inbound.isEmpty() && frontend != null) {
            handOver(message);
            delivered = true;
        } else {
            inbound.add(message);
        }
    }

    /** The connection's read is over: the frontend hears of it if this stream gave it something. */
    void onReadComplete() {
        if (delivered) {
            delivered = false;
            readPending = false;
            if (frontend != null) {
                frontend.onUpstreamReadComplete();
            }
        }
    }

    private HttpObject fromHeaders(Http2HeadersFrame frame) {
        Http2Headers headers = frame.headers();
        try {
            CharSequence status = headers.status();
            boolean informational = status != null && HttpStatusClass.valueOf(status) == HttpStatusClass.INFORMATIONAL;
            if (responseStarted && !informational) {
                return Http1FromH2.trailers(stream.id(), headers, false);
            }
            responseStarted = !informational;
            return Http1FromH2.response(stream.id(), headers, informational || frame.isEndStream());
        } catch (Http2Exception | RuntimeException malformed) {
            h2.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR).stream(stream));
            end(true);
            return null;
        }
    }

    /**
     * A DATA frame's bytes back to the endpoint's window (flushed at the end of the connection's read, or of this
     * {@link #read}), and the message to the frontend. The last frame's bytes are not: the stream closes with it, and
     * the codec gives a closed stream's bytes back to the connection's window, which is all that is left to open.
     */
    private void handOver(Object message) {
        Object out = message;
        if (message instanceof Http2DataFrame data) {
            int bytes = data.initialFlowControlledBytes();
            if (bytes > 0 && !closed && !data.isEndStream()) {
                h2.write(new DefaultHttp2WindowUpdateFrame(bytes).stream(stream), h2.voidPromise());
            }
            out = Http1FromH2.content(data);
        }
        frontend.onUpstreamMessage(out);
    }

    /** The codec closed the stream: it ended both ways, the endpoint reset it, or the connection went. */
    void onClosed() {
        if (closed) {
            return;
        }
        closed = true; // the codec gives the bytes of DATA still waiting here back to the connection window itself
        if (responseEnded) {
            return;
        }
        if (unprocessed() && retryable != null && !responseStarted && inbound.isEmpty() && frontend != null) {
            goAgain();
        } else {
            end(true);
        }
    }

    /** The endpoint says it did not process the request: it refused the stream, or a GOAWAY left it out. */
    private boolean unprocessed() {
        Http2Connection connection = backend.connection();
        return refused || connection.goAwayReceived() && stream.id() > connection.local().lastStreamKnownByPeer();
    }

    /** Sends the request again on a new stream, which takes over from this one. */
    private void goAgain() {
        moving = true;
        Http2Headers headers = retryable;
        end(false);
        home.reopen().addListener(opened -> {
            moving = false;
            if (!opened.isSuccess()) {
                if (frontend != null) {
                    frontend.onUpstreamClosed();
                }
                return;
            }
            H2UpstreamStream next = (H2UpstreamStream) opened.getNow();
            next.retried = true;
            if (frontend == null) {
                next.close(); // let go of while moving
                return;
            }
            successor = next;
            next.attach(frontend);
            next.send(new DefaultHttp2HeadersFrame(headers, true), next.h2.newPromise()).addListener(sent -> {
                if (!sent.isSuccess()) {
                    next.close(); // its frontend hears that the upstream ended
                }
            });
            next.h2.flush();
            next.backend.opened(next);
            if (readPending) {
                next.read();
            }
        });
    }

    /**
     * Done with: the frontend, if it still waits for the response, hears that the upstream ended (a 502 before the
     * response began, an aborted client response after).
     */
    private void end(boolean failed) {
        if (ended) {
            return;
        }
        ended = true;
        closed = true;
        backend.forget(this);
        home.streamEnded();
        if (failed) {
            while (!inbound.isEmpty()) {
                ReferenceCountUtil.release(inbound.poll());
            }
            FrontendHandler waiting = frontend;
            if (waiting != null) {
                waiting.onUpstreamClosed();
            }
        }
    }

    /**
     * Done with it: a stream that has not ended both ways is reset (the response is not wanted, or the request will not
     * be finished); a frontend still attached hears that its upstream ended, as it would of a closed connection.
     */
    @Override
    public void close() {
        if (successor != null) {
            successor.close();
            return;
        }
        if (moving) {
            frontend = null; // the new stream is closed as soon as it opens
            return;
        }
        if (!ended && stream.id() > 0 && !closed && !(responseEnded && requestEnded) && stream.state() != Http2Stream.State.CLOSED) {
            h2.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL).stream(stream));
        }
        end(true);
    }

    @Override
    public boolean isStream() {
        return true;
    }

    @Override
    public Channel channel() {
        return successor != null ? successor.channel() : h2.channel();
    }
}
