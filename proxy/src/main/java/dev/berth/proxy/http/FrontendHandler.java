package dev.berth.proxy.http;

import dev.berth.proxy.balance.Balancer;
import dev.berth.proxy.balance.HashKeys;
import dev.berth.proxy.config.Backend;
import dev.berth.proxy.route.RouteTable;
import dev.berth.proxy.transport.EpollHalfCloseGuard;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream end of the proxy, one per HTTP/1.1 connection or per h2 stream: routes each request, takes an
 * upstream connection from its event loop's pool, and streams the request up and the response down with
 * back-pressure: the next chunk of a request body is read after the previous one was written upstream, the response
 * is read on while the client keeps up (its connection below the write buffer's high-water mark, or its stream
 * writable). Requests on one connection are handled one at a time; pipelined ones wait in {@link #queued}.
 * On an HTTP/1.1 connection this is the pipeline's last handler; an h2 stream has no pipeline, and its
 * {@link H2Stream} calls the {@code onRequestMessage}/{@code onDownstream…} methods the handler methods delegate to.
 * Either way the messages go out through a {@link Downstream}. Everything here runs on one event loop, the upstream
 * connection's too, so no field needs to be volatile.
 *
 * <p>A client may half-close its HTTP/1.1 connection after its requests ({@code printf '…' | nc -N}, some health
 * checkers): it is answered as HAProxy answers it, and as RFC 9112 §9.6 allows: the requests it sent whole are
 * served in order and the connection closes after the last response (which says {@code Connection: close}); a
 * request it cut short never reaches an upstream whole, and its connection closes at once.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
    /** The h2 → HTTP/1 conversion's bookkeeping headers ({@code x-http2-stream-id}…), once: {@code values()} copies. */
    private static final AsciiString[] H2_EXTENSION_HEADERS = Arrays.stream(HttpConversionUtil.ExtensionHeaderNames.values())
            .map(HttpConversionUtil.ExtensionHeaderNames::text).toArray(AsciiString[]::new);
    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

    private enum State { IDLE, CONNECTING, FORWARDING, DISCARDING, TUNNEL, CLOSED }

    private final ProxyContext shared;
    private final String scheme;
    /** Switches this connection to h2 if its first request asks for it; null once that request has passed (and on streams). */
    private H2cSwitch h2c;
    /** The first request was the head of the h2 client preface: the switch follows its end. */
    private boolean h2cPreface;
    /** Sized for the usual few (a head and its end while the upstream connects); it grows for a pipelining client. */
    private final ArrayDeque<Object> queued = new ArrayDeque<>(2);
    /** This handler's place in an HTTP/1.1 connection's pipeline; null on an h2 stream, which has no pipeline. */
    private ChannelHandlerContext ctx;
    /** Where requests come from and responses go: the HTTP/1.1 connection, or an h2 stream. */
    private Downstream down;
    private State state = State.IDLE;

    // The exchange in flight.
    private HttpRequest request;
    private RouteTable.Target target;
    private InetSocketAddress endpoint;
    private UpstreamKey upstreamKey;
    private ProxyContext.LoopState loop;
    private Routing.Balanced balanced;
    private int endpointIndex;
    private long startNanos;
    /** The upstream of the exchange in progress: an HTTP/1.1 connection's handler, or an h2 stream. */
    private Upstream upstream;
    private boolean keepAlive;
    private boolean http11Client;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean informational;
    private boolean upgradeRequested;
    private boolean upgraded;
    /** This h2 stream asked for a WebSocket by extended CONNECT (RFC 8441); see {@link ExtendedConnect}. */
    private boolean extendedConnect;
    private boolean upstreamReusable;
    /** The client has sent its FIN: whatever of its requests is not in {@link #queued} by now will never come. */
    private boolean inputEnded;
    // Made once per connection rather than once per write: the keep-alive path allocates as little as it can.
    private final ChannelFutureListener afterUpstreamWrite = this::onUpstreamWritten;

    /**
     * The keep-alive timeout, as NGINX's {@code keepalive_timeout}: a connection between requests for this long is
     * closed. Measured from the moment the connection became idle (its previous response ended), so a connection
     * that has just finished a long download gets the whole period; and kept here rather than by an
     * IdleStateHandler, which would put a listener on every write and read the clock on every read and write.
     */
    private final long keepAliveNanos;
    /**
     * The connection's one timer, without a timer task per request (see {@link Deadline}): the keep-alive timeout
     * while the connection waits for a request, the response timeout while an exchange waits for its response head.
     * The two never run at once, so one scheduled task per connection serves both ({@link #onTimeout}).
     */
    private Deadline timeout;

    /**
     * @param keepAlive how long a connection may wait for its next request; unused for h2 streams
     * @param h2c how a cleartext HTTP/1.1 connection turns into h2; null on h2 streams
     */
    FrontendHandler(ProxyContext shared, String scheme, Duration keepAlive, H2cSwitch h2c) {
        this.shared = shared;
        this.scheme = scheme;
        this.h2c = h2c;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /** The frontend of one h2 stream, which {@link H2Stream} feeds with the request. */
    static FrontendHandler forStream(ProxyContext shared, H2Stream stream, String scheme) {
        FrontendHandler frontend = new FrontendHandler(shared, scheme, Duration.ZERO, null);
        frontend.down = stream;
        frontend.timeout = new Deadline(stream.connection().eventLoop(), frontend::onTimeout);
        return frontend;
    }

    private boolean isStream() {
        return down.isStream();
    }

    /** The TCP connection the client speaks on. */
    private Channel connection() {
        return down.connection();
    }

    private InetSocketAddress peerAddress() {
        return (InetSocketAddress) connection().remoteAddress();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitNextRequest();
        ctx.read();
    }

    /** The connection is between requests from now on; h2 streams carry one request and have no such wait. */
    private void awaitNextRequest() {
        if (!isStream()) {
            timeout.arm(keepAliveNanos);
        }
    }

    private void onTimeout() {
        if (state == State.IDLE) {
            down.close(); // idle too long between requests (also a request head that never completes)
        } else if (state == State.FORWARDING && !responseStarted) {
            upstreamReusable = false;
            refuse(HttpResponseStatus.GATEWAY_TIMEOUT, "no response within " + shared.responseTimeout().toMillis() + " ms");
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timeout.disarm(); // an h2 connection or a tunnel goes on without this handler
        // ... and closes on the client's FIN, as it did before: neither the h2 codec nor the relay takes half-closes
        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.down = new Downstream.Connection(ctx);
        this.timeout = new Deadline(ctx.executor(), this::onTimeout);
        // the client's FIN comes as an event (onInputEnded), not as the channel's close: what it asked for is answered
        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        onRequestMessage(msg);
    }

    /** A message of the request from the downstream: a head, a body chunk, its end. */
    void onRequestMessage(Object msg) {
        switch (state) {
            case IDLE -> {
                if (msg instanceof HttpRequest httpRequest) {
                    startExchange(httpRequest);
                } else {
                    ReferenceCountUtil.release(msg); // the tail of a request we already answered
                    if (h2cPreface && msg instanceof LastHttpContent) {
                        h2cPreface = false;
                        h2c.switchByPriorKnowledge(ctx); // this handler leaves the pipeline on the way
                    } else {
                        readRequest();
                    }
                }
            }
            case FORWARDING -> {
                if (!requestDone && msg instanceof HttpContent content) {
                    forwardRequestContent(content);
                } else {
                    queued.add(msg);
                }
            }
            case DISCARDING -> {
                if (!requestDone && msg instanceof HttpContent) {
                    requestDone = msg instanceof LastHttpContent;
                    ReferenceCountUtil.release(msg);
                    if (requestDone) {
                        finishExchange();
                    } else {
                        readRequest();
                    }
                } else {
                    queued.add(msg);
                }
            }
            case CONNECTING -> queued.add(msg);
            case TUNNEL, CLOSED -> ReferenceCountUtil.release(msg);
        }
    }

    private void startExchange(HttpRequest received) {
        if (h2c != null && switchesToH2(received)) {
            return;
        }
        timeout.disarm();
        extendedConnect = isStream() && ExtendedConnect.isWebSocket(received);
        HttpRequest httpRequest = received;
        if (extendedConnect) {
            httpRequest = ExtendedConnect.toUpgradeRequest(received); // its DATA frames wait for the tunnel
            ReferenceCountUtil.release(received);
        }
        request = httpRequest;
        target = null;
        endpoint = null;
        upstreamKey = null;
        requestDone = httpRequest instanceof LastHttpContent;
        responseStarted = false;
        informational = false;
        upgraded = false;
        keepAlive = !isStream() && HttpUtil.isKeepAlive(httpRequest) && !isLastRequest();
        http11Client = isStream() || !httpRequest.protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (httpRequest.decoderResult().isFailure()) {
            keepAlive = false;
            requestDone = true; // the decoder drops whatever follows a malformed message: nothing more of it will come
            refuse(HttpResponseStatus.BAD_REQUEST, "malformed request: " + httpRequest.decoderResult().cause().getMessage());
            return;
        }
        if (httpRequest.method().equals(HttpMethod.CONNECT)) { // extended CONNECT became a GET above
            keepAlive = false; // what the client sends next is meant for a tunnel, not for an HTTP parser
            refuse(HttpResponseStatus.NOT_IMPLEMENTED, "CONNECT is not proxied (Berth is a reverse proxy)");
            return;
        }
        Routing routing = shared.routing();
        String host = httpRequest.headers().get(HttpHeaderNames.HOST);
        target = routing.table().match(host, httpRequest.uri());
        if (target == null) {
            refuse(HttpResponseStatus.NOT_FOUND, "no route");
            return;
        }
        if (redirectsToHttps(target, httpRequest.uri())) {
            answer(ErrorResponses.redirect(connection().alloc(), HttpsRedirect.location(host, httpRequest.uri()), keepAlive));
            return;
        }
        if (extendedConnect && target.backend().protocol() == Backend.Protocol.H2C) {
            refuse(HttpResponseStatus.NOT_IMPLEMENTED, "WebSocket over h2 to an h2c backend (only HTTP/1.1 backends take WebSockets)");
            return;
        }
        loop = shared.loop(connection().eventLoop());
        Routing.Balanced candidates = routing.balanced(target.backend());
        long hashKey = candidates.hashesClients() ? HashKeys.ofAddress(peerAddress().getAddress()) : 0;
        int picked = candidates.balancer().pick(loop.index(), hashKey);
        if (picked == Balancer.NONE) {
            refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "no ready endpoint");
            return;
        }
        balanced = candidates;
        endpointIndex = picked;
        endpoint = balanced.endpoints().get(endpointIndex).address();
        upstreamKey = target.backend().protocol() == Backend.Protocol.HTTPS
                ? UpstreamKey.tls(endpoint, host) : balanced.plainKeys().get(endpointIndex);
        balanced.balancer().onStart(loop.index(), endpointIndex);
        startNanos = System.nanoTime();
        prepareUpstreamRequest(httpRequest, host);
        Future<?> connecting;
        if (target.backend().protocol() == Backend.Protocol.H2C) {
            connecting = loop.h2().openStream(endpoint);
        } else {
            Channel idle = loop.pool().pollIdle(upstreamKey);
            if (idle != null) {
                attach(upstreamOf(idle));
                return;
            }
            connecting = loop.pool().connect(upstreamKey);
        }
        state = State.CONNECTING;
        connecting.addListener(future -> {
            if (state != State.CONNECTING) {
                if (future.isSuccess()) {
                    upstreamOf(future.getNow()).close(); // the client went away meanwhile
                }
            } else if (future.isSuccess()) {
                attach(upstreamOf(future.getNow()));
            } else if (future.cause() instanceof ConnectTimeoutException) {
                refuse(HttpResponseStatus.GATEWAY_TIMEOUT, "connect timed out");
            } else if (future.cause() instanceof SSLException tls) {
                refuse(tls.getCause() instanceof SslHandshakeTimeoutException ? HttpResponseStatus.GATEWAY_TIMEOUT
                        : HttpResponseStatus.BAD_GATEWAY, tls.getMessage());
            } else {
                refuse(HttpResponseStatus.BAD_GATEWAY, "connect failed: " + future.cause().getMessage());
            }
        });
    }

    /** Hands the connection's first request to the h2c switch if it asks for h2; only the first may. */
    private boolean switchesToH2(HttpRequest first) {
        H2cSwitch h2cSwitch = h2c;
        h2c = null;
        if (H2cSwitch.isPreface(first)) {
            h2c = h2cSwitch; // for the switch once the preface's head has ended
            h2cPreface = true; // its empty end follows at once: the codec emits a bodiless head and its end together
            ReferenceCountUtil.release(first);
            return true;
        }
        if (H2cSwitch.offersUpgrade(first)) {
            h2cSwitch.offerUpgrade(ctx, first); // if the upgrade cannot be made, the request comes back as HTTP/1.1
            return true;
        }
        return false;
    }

    private void prepareUpstreamRequest(HttpRequest httpRequest, String host) {
        HttpHeaders headers = httpRequest.headers();
        upgradeRequested = (!isStream() || extendedConnect)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.contains(HttpHeaderNames.UPGRADE);
        boolean chunked = HttpUtil.isTransferEncodingChunked(httpRequest);
        boolean acceptsTrailers = headers.containsValue(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS, true);
        HopByHopHeaders.remove(headers, upgradeRequested);
        if (acceptsTrailers && target.backend().protocol() == Backend.Protocol.H2C) {
            headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS); // gRPC needs it, and it is the one TE h2 allows
        }
        removeH2ExtensionHeaders(headers);
        if (chunked || (isStream() && !requestDone && !headers.contains(HttpHeaderNames.CONTENT_LENGTH))) {
            HttpUtil.setTransferEncodingChunked(httpRequest, true);
        }
        InetSocketAddress local = (InetSocketAddress) connection().localAddress();
        shared.forwarded().apply(headers, peerAddress(), scheme, host, local.getPort());
        httpRequest.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /**
     * The h2 → HTTP/1 conversion's bookkeeping ({@code x-http2-stream-id}…) is meaningless upstream, and from an
     * HTTP/1.1 client it could steer the conversion towards an h2c backend ({@code x-http2-path}): it never goes up.
     * A look-up per name, which compares lengths before letters, as a walk over the headers did, without its iterator.
     */
    private static void removeH2ExtensionHeaders(HttpHeaders headers) {
        for (AsciiString name : H2_EXTENSION_HEADERS) {
            headers.remove(name);
        }
    }

    /** An h2 stream as it is; an HTTP/1.1 connection by its handler. */
    private static Upstream upstreamOf(Object connected) {
        return connected instanceof Upstream stream ? stream : BackendHandler.of((Channel) connected);
    }

    private void attach(Upstream connected) {
        upstream = connected;
        upstream.attach(this);
        state = State.FORWARDING;
        upstreamReusable = true;
        timeout.arm(shared.responseTimeout().toNanos());
        upstream.read();
        writeUpstream(request);
        while (state == State.FORWARDING && !requestDone && !queued.isEmpty() && queued.peekFirst() instanceof HttpContent) {
            forwardRequestContent((HttpContent) queued.pollFirst());
        }
    }

    /** Lets go of the upstream connection: its handler reports here no more. The caller pools or closes it. */
    private Upstream detachUpstream() {
        Upstream detached = upstream;
        detached.detach();
        upstream = null;
        return detached;
    }

    private void forwardRequestContent(HttpContent content) {
        requestDone = content instanceof LastHttpContent;
        writeUpstream(content);
    }

    /**
     * Writes up; the next downstream read waits for the write, so a slow upstream slows the client. The request's
     * last message has nothing to wait for and goes without a listener, and so does the head of a request without a
     * body (a GET's: no Content-Length, no Transfer-Encoding; its end follows from the same read), which reads on at
     * once: a failure to write them ends the upstream, which answers 502 here.
     */
    private void writeUpstream(HttpObject msg) {
        if (msg instanceof LastHttpContent) {
            upstream.writeLastAndFlush(msg);
        } else if (msg instanceof HttpRequest head && endsAtHead(head)) {
            upstream.writeLastAndFlush(msg);
            readOn();
        } else {
            upstream.writeAndFlush(msg).addListener(afterUpstreamWrite);
        }
    }

    /** The request goes on being read (keeping a read pending on the connection, as epoll and io_uring like it). */
    private void readOn() {
        if (state == State.FORWARDING && !requestDone && queued.isEmpty()) {
            readRequest();
        }
    }

    /**
     * Asks the client for more of its request (or for its next one), unless it has finished sending: then the
     * connection ends, after what was written to it when it was between requests or had its answer (IDLE,
     * DISCARDING), at once when the request in flight was cut short (FORWARDING): the upstream, which has part of
     * it, must not take it as whole.
     */
    private void readRequest() {
        if (!inputEnded) {
            down.read();
        } else if (state == State.IDLE || state == State.DISCARDING) {
            state = State.CLOSED;
            timeout.disarm();
            down.endAfterWrites();
        } else if (state == State.FORWARDING) {
            log.debug("{} {}: the client closed its side before the request ended", request.method(), request.uri());
            closeAll();
        }
    }

    /**
     * The client's FIN, after the decoder has passed on every message before it. Whatever still waits for more of
     * the request ends in {@link #readRequest}; an exchange whose request is whole goes on, and so do requests
     * queued behind it.
     */
    private void onInputEnded() {
        inputEnded = true;
        switch (state) {
            case IDLE, DISCARDING -> readRequest();
            case FORWARDING -> {
                if (!requestDone && queued.isEmpty()) {
                    readRequest();
                }
            }
            case CONNECTING, TUNNEL, CLOSED -> { } // the exchange goes on; the tunnel's relays are not told (see handlerRemoved)
        }
        EpollHalfCloseGuard.inputFinished(ctx.channel()); // unless closed by now, responses still go out on it
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            onInputEnded();
        }
        ctx.fireUserEventTriggered(event);
    }

    /** The request just started is the last the client sent, so its response closes the connection. */
    private boolean isLastRequest() {
        if (!inputEnded) {
            return false;
        }
        for (Object message : queued) {
            if (message instanceof HttpRequest) {
                return false;
            }
        }
        return true;
    }

    /** A request whose head announces no body (RFC 9112 §6.3: then it has none), as it goes up. */
    private static boolean endsAtHead(HttpRequest head) {
        HttpHeaders headers = head.headers();
        return !headers.contains(HttpHeaderNames.CONTENT_LENGTH) && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
    }

    /**
     * A request message has left, or failed to. A failed write ends the upstream it was written to, which may no
     * longer be this exchange's: an h2 stream ends itself ({@link Upstream#writeAndFlush}); an HTTP/1.1 connection is
     * the future's channel, closed here (this exchange's hears of it as onUpstreamClosed; one an earlier exchange let
     * go of must not be reused).
     */
    private void onUpstreamWritten(ChannelFuture written) {
        if (!written.isSuccess()) {
            BackendHandler connection = BackendHandler.of(written.channel());
            if (connection != null) {
                if (connection == upstream) {
                    upstreamReusable = false;
                }
                connection.close();
            }
        } else {
            readOn();
        }
    }

    void onUpstreamMessage(Object msg) {
        if (state != State.FORWARDING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response && onResponseHead(response)) {
            if (msg instanceof LastHttpContent) {
                // A whole response in one message: an h2 upstream's HEADERS with END_STREAM (a gRPC error, a 204).
                // It goes down once, as it came (trailers-only stays trailers-only), and ends the exchange.
                down.writeAndFlush(response);
                finishExchange();
                return;
            }
            down.write(response);
            if (!upgraded) {
                Recyclable.recycle(response); // encoded, or converted to h2 headers: nothing keeps it
            }
        }
        if (msg instanceof HttpContent content) {
            if (informational) {
                informational = !(content instanceof LastHttpContent);
                content.release();
                down.flush();
                return;
            }
            boolean last = content instanceof LastHttpContent;
            if (last && upgraded && isStream()) {
                content.release(); // the end of the 101 must not end the h2 stream: the tunnel lives in it
                down.flush();
                finishExchange();
            } else if (last) {
                down.writeAndFlush(content);
                Recyclable.recycle(content); // encoded, or converted to an h2 frame: nothing keeps it
                finishExchange();
            } else {
                // Flushed when the upstream read completes (onUpstreamReadComplete): one syscall for head and
                // body chunks that arrived together.
                down.write(content);
                Recyclable.recycle(content);
            }
        }
    }

    /**
     * The upstream read that delivered the last messages is over: send what they became downstream, and read on
     * while the client keeps up. The back-pressure is the downstream channel's writability: past its high-water
     * mark the upstream is not read until the client has taken enough ({@link #channelWritabilityChanged}). Waiting
     * for each chunk's write instead would cost a round trip through the event loop per chunk, which io_uring, whose
     * writes complete one loop turn later, pays on every large response.
     */
    void onUpstreamReadComplete() {
        down.flush();
        readUpstreamWhileClientKeepsUp();
    }

    private void readUpstreamWhileClientKeepsUp() {
        if (state == State.FORWARDING && upstream != null && down.isWritable()) {
            upstream.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        onDownstreamWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    void onDownstreamWritabilityChanged() {
        readUpstreamWhileClientKeepsUp();
    }

    /** Prepares a response head to go down; false when it was answered here already (a 1xx, passed on whole). */
    private boolean onResponseHead(HttpResponse response) {
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL
                && response.status().code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            // 100 Continue and friends: pass on whole (the encoder wants each message ended), keep waiting for
            // the final response, and drop the empty end the client codec may add to it.
            informational = true;
            HopByHopHeaders.remove(response.headers(), false);
            // A 1xx has no content (RFC 9110 §8.6); some servers (the JDK's among them) still say Content-Length: 0,
            // which an h2 client takes as a protocol error and resets the stream for.
            response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            down.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), Unpooled.EMPTY_BUFFER,
                    response.headers(), EmptyHttpHeaders.INSTANCE));
            return false;
        }
        cancelResponseTimeout();
        informational = false; // some codecs end a 1xx with an empty last content, some do not
        responseStarted = true;
        upgraded = upgradeRequested && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
        upstreamReusable = upstreamReusable && HttpUtil.isKeepAlive(response);
        keepAlive = keepAlive && !isLastRequest(); // the client may have sent its FIN since the request
        boolean hasLength = response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
        HopByHopHeaders.remove(response.headers(), upgraded);
        if (upgraded && isStream()) {
            ExtendedConnect.toStreamResponse(response);
        }
        if (!hasLength && !upgraded && mayHaveBody(response)) {
            if (http11Client) {
                HttpUtil.setTransferEncodingChunked(response, true);
            } else {
                keepAlive = false; // an HTTP/1.0 client learns the end of an unsized body from the close
            }
        }
        if (!isStream() && !upgraded) {
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (!http11Client) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        return true;
    }

    private boolean mayHaveBody(HttpResponse response) {
        int code = response.status().code();
        return !request.method().equals(HttpMethod.HEAD) && code != 204 && code != 304;
    }

    /**
     * The response is complete (its last message written): the upstream connection goes back to the pool, the rest
     * of an unread request body is dropped, and the next request may start.
     */
    private void finishExchange() {
        cancelResponseTimeout();
        endBalancing();
        if (upgraded) {
            becomeTunnel();
            return;
        }
        if (upstream != null) {
            Upstream done = detachUpstream();
            if (upstreamReusable && requestDone && !done.isStream()) {
                loop.pool().release(upstreamKey, done.channel());
            } else {
                done.close();
            }
        }
        while (!requestDone && !queued.isEmpty() && queued.peekFirst() instanceof HttpContent content) {
            queued.pollFirst();
            requestDone = content instanceof LastHttpContent;
            content.release();
        }
        if (!requestDone) {
            state = State.DISCARDING; // answered early (or refused): drop the rest of the request body
            readRequest();
            return;
        }
        if (!keepAlive) {
            state = State.CLOSED;
            down.endAfterWrites();
            return;
        }
        state = State.IDLE;
        Recyclable.recycle(request); // gone up, answered: nothing refers to it any more
        request = null;
        target = null;
        awaitNextRequest();
        while (state == State.IDLE && !queued.isEmpty()) {
            onRequestMessage(queued.pollFirst());
        }
        if (state == State.IDLE) {
            readRequest();
        }
    }

    /**
     * After 101 Switching Protocols: both sides drop HTTP and relay bytes until either closes. Relays go in before the
     * codecs go out, and each side is raw before the other's codec leaves: bytes a codec still holds when removed
     * (a server's first frame right behind its 101) pass to the relay and on to the other side at once.
     */
    private void becomeTunnel() {
        if (inputEnded) {
            closeAll(); // a client that has stopped sending cannot speak the protocol it asked for
            return;
        }
        if (!isStream() && !queued.isEmpty()) {
            // it sent more before the 101 (RFC 6455 §4.1 says wait), and the HTTP decoder has read those bytes as
            // requests: they cannot be put back into the tunnel as they came
            closeAll();
            return;
        }
        state = State.TUNNEL;
        Channel up = upstream.channel();
        upstream.detach();
        down.flush();
        if (down instanceof H2Stream stream) {
            timeout.disarm();
            up.pipeline().replace(HandlerNames.BACKEND, HandlerNames.RELAY, new H2WebSocketTunnel.FromUpstream(stream));
            up.pipeline().remove(HandlerNames.HTTP_CODEC);
            H2WebSocketTunnel.open(stream, up, queued);
            return;
        }
        Channel downstream = ctx.channel();
        up.pipeline().replace(HandlerNames.BACKEND, HandlerNames.RELAY, new RelayHandler(downstream));
        up.pipeline().get(UpstreamHttpCodec.class).removeOutboundHandler();
        downstream.pipeline().replace(this, HandlerNames.RELAY, new RelayHandler(up)); // its timers stop with it
        downstream.pipeline().remove(HandlerNames.HTTP_CODEC);
        if (downstream.pipeline().get(HandlerNames.H2C_UPGRADE) != null) {
            downstream.pipeline().remove(HandlerNames.H2C_UPGRADE); // it offered h2c, the client took HTTP/1.1
        }
        up.pipeline().remove(HandlerNames.HTTP_CODEC);
        downstream.read();
        up.read();
    }

    /** The route wants HTTPS and this request came over cleartext (an ACME HTTP-01 challenge excepted). */
    private boolean redirectsToHttps(RouteTable.Target matched, String uri) {
        return matched.route() != null && matched.route().httpsRedirect() && "http".equals(scheme) && !HttpsRedirect.isAcmeChallenge(uri);
    }

    /** Answers the request ourselves (404, 502, 503, 504, 400) and logs which route and endpoint failed. */
    private void refuse(HttpResponseStatus status, String reason) {
        if (responseStarted) {
            log.warn("{} {} {}: {} after the response started; closing", request.method(), request.uri(), describeTarget(), reason);
            closeAll();
            return;
        }
        log.warn("{} {} {} {}: {}", status.code(), request.method(), request.uri(), describeTarget(), reason);
        answer(ErrorResponses.of(connection().alloc(), status, keepAlive));
    }

    /** Answers the request with a response of the proxy's own, before any upstream response began. */
    private void answer(HttpResponse response) {
        cancelResponseTimeout();
        if (upstream != null) {
            detachUpstream().close();
        }
        state = State.FORWARDING; // until the error response is written, the exchange is ours
        responseStarted = true;
        down.writeAndFlush(response);
        finishExchange();
    }

    private String describeTarget() {
        if (target == null) {
            return "host=" + (request == null ? null : request.headers().get(HttpHeaderNames.HOST));
        }
        String route = target.route() == null ? "defaultBackend" : target.route().source();
        return route + " -> " + target.backend().name() + (upstreamKey == null ? "" : " @ " + upstreamKey);
    }

    void onUpstreamClosed() {
        upstreamReusable = false;
        if (state == State.FORWARDING) {
            refuse(HttpResponseStatus.BAD_GATEWAY, "upstream closed the connection before the response ended");
        }
    }

    /** The response started or the exchange ended: nothing to time out (a pending timer finds that and stops). */
    private void cancelResponseTimeout() {
        timeout.disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeAll();
    }

    /** The client's side has gone: its connection closed, or its stream closed or was reset. */
    void onDownstreamClosed() {
        closeAll();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("downstream {} failed", ctx.channel(), cause);
        closeAll();
    }

    /** Tells a load-aware balancer that the request picked in {@link #startExchange} has ended. */
    private void endBalancing() {
        if (balanced != null) {
            balanced.balancer().onFinish(loop.index(), endpointIndex, System.nanoTime() - startNanos);
            balanced = null;
        }
    }

    private void closeAll() {
        state = State.CLOSED;
        timeout.disarm(); // a closed connection should not stay referenced by the loop's timer queue
        endBalancing();
        if (upstream != null) {
            detachUpstream().close();
        }
        while (!queued.isEmpty()) {
            ReferenceCountUtil.release(queued.pollFirst());
        }
        down.close();
    }
}
