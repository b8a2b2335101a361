package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Turns a cleartext HTTP/1.1 connection into h2 when its first request shows the client wants it, so that HTTP/1.1
 * connections carry no h2 detector and no upgrade handler.
 *
 * <p><b>Prior knowledge</b>: the client preface {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n} begins like an HTTP/1.1
 * request; the HTTP/1.1 codec parses its first 18 bytes as a request head ({@code PRI *}, version 2.0, no headers, no
 * body), as NGINX's HTTP/1 parser does. Once that head has ended, the h2 codec goes in behind the HTTP/1.1 codec,
 * receives those 18 bytes again, and the HTTP/1.1 codec leaves, passing on what it holds unparsed (the rest of the
 * preface and the first frames). <b>{@code Upgrade: h2c}</b> (RFC 7540 §3.2): Netty's upgrade handler goes in behind
 * the codec, takes the request and its body, answers 101 and installs h2; if the upgrade cannot be made (no
 * {@code HTTP2-Settings}), it passes the request on and the connection stays HTTP/1.1.
 *
 * <p>Either way the h2 codec is followed by an {@link H2Frontend}, which gives each stream a {@link FrontendHandler}
 * fed with HTTP/1 messages, so one proxy logic serves both protocols (WebSocket too: by Upgrade on HTTP/1.1, by
 * extended CONNECT on h2).
 */
final class H2cSwitch {
    /** Largest request the h2c Upgrade may carry (it is buffered whole, as the upgrade requires). */
    private static final int MAX_UPGRADE_REQUEST = 64 * 1024;
    /** The part of the client preface that the HTTP/1.1 codec parses as a request head. */
    private static final byte[] PREFACE_HEAD = "PRI * HTTP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String PRI = "PRI";
    /** Concurrent streams per h2 connection, as NGINX's {@code http2_max_concurrent_streams} (HAProxy allows 100). */
    static final int MAX_CONCURRENT_STREAMS = 128;

    private final ProxyContext shared;
    private final Duration idleTimeout;

    /** @param idleTimeout how long an h2 connection may stay without a stream (the keep-alive timeout) */
    H2cSwitch(ProxyContext shared, Duration idleTimeout) {
        this.shared = shared;
        this.idleTimeout = idleTimeout;
    }

    /** The head the HTTP/1.1 codec makes of the h2 client preface: {@code PRI * HTTP/2.0} and no header. */
    static boolean isPreface(HttpRequest request) {
        return request.protocolVersion().majorVersion() == 2 && PRI.equals(request.method().name()) && "*".equals(request.uri())
                && request.headers().isEmpty() && request.decoderResult().isSuccess();
    }

    /**
     * An HTTP/1.1 request offering h2c: {@code Upgrade: h2c} with its settings, and no body and no Expect. One with a
     * body is served as HTTP/1.1 (the upgrade is the server's to take or not): Netty's upgrade handler aggregates the
     * body, and when it refuses an expectation or a size it answers and asks the decoder to read what follows the head
     * as a new request, where the body still comes; that would frame the connection as the client did not mean it.
     */
    static boolean offersUpgrade(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, true)
                && request.headers().contains(Http2CodecUtil.HTTP_UPGRADE_SETTINGS_HEADER)
                && !request.headers().contains(HttpHeaderNames.EXPECT) && !request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                && HttpUtil.getContentLength(request, 0L) == 0;
    }

    /**
     * Switches to h2 after the preface's head ({@link #isPreface}) and its empty end were read; called from the
     * frontend's {@code channelRead}, which the HTTP/1.1 codec is delivering: removing the codec there hands its unread
     * bytes to the h2 codec. The frontend leaves the pipeline on the way ({@link Http2Switch}).
     */
    void switchByPriorKnowledge(ChannelHandlerContext frontend) {
        ChannelPipeline pipeline = frontend.pipeline();
        ChannelHandlerContext http1 = pipeline.context(DownstreamHttpCodec.class);
        ((DownstreamHttpCodec) http1.handler()).removeOutboundHandler(); // the h2 codec's SETTINGS must not meet the HTTP/1.1 encoder
        ByteBuf prefaceHead = frontend.alloc().buffer(PREFACE_HEAD.length).writeBytes(PREFACE_HEAD);
        pipeline.addAfter(http1.name(), HandlerNames.H2C, h2Codec())
                .addAfter(HandlerNames.H2C, null, new Http2Switch())
                .addLast(streams());
        http1.fireChannelRead(prefaceHead);
        pipeline.remove(http1.handler());
    }

    /**
     * Puts Netty's upgrade handler behind the HTTP/1.1 codec and hands it the request ({@link #offersUpgrade}); the
     * request's body and end reach it straight from the codec.
     */
    void offerUpgrade(ChannelHandlerContext frontend, HttpRequest request) {
        ChannelPipeline pipeline = frontend.pipeline();
        ChannelHandlerContext http1 = pipeline.context(DownstreamHttpCodec.class);
        HttpServerUpgradeHandler.UpgradeCodecFactory h2cOnly = protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(h2Codec(), new Http2Switch(), streams())
                        : null;
        pipeline.addAfter(http1.name(), HandlerNames.H2C_UPGRADE,
                new HttpServerUpgradeHandler((DownstreamHttpCodec) http1.handler(), h2cOnly, MAX_UPGRADE_REQUEST));
        http1.fireChannelRead(request);
    }

    /**
     * The h2 codec. Its SETTINGS allow extended CONNECT, so clients may open WebSockets over h2 (RFC 8441), and cap a
     * connection's concurrent streams at {@link #MAX_CONCURRENT_STREAMS} (h2 sets no limit of its own, and each stream
     * may hold an upstream connection); the codec refuses streams beyond it, and limits the rate of resets (the
     * "rapid reset" attack) by its defaults.
     *
     * <p>The connection's window is shared among the streams with data to send in turn
     * ({@code UniformStreamByteDistributor}), not by the priority tree of RFC 7540 (Netty's default,
     * {@code WeightedFairQueueByteDistributor}): RFC 9113 deprecated that scheme, HAProxy and NGINX ignore it, and
     * keeping its tree (a node added and removed per stream) was ~3% of an h2c profile's samples against the uniform
     * distributor's ~1% (benchmarks/README.md, the h2 profile).
     */
    static Http2FrameCodec h2Codec() {
        DefaultHttp2Connection connection = new DefaultHttp2Connection(true);
        connection.remote().flowController(
                new DefaultHttp2RemoteFlowController(connection, new UniformStreamByteDistributor(connection)));
        return new ServerCodecBuilder(connection)
                .initialSettings(Http2Settings.defaultSettings().connectProtocolEnabled(true).maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
                .build();
    }

    /** Netty's frame codec builder, on a server connection made here (the builder offers that to subclasses only). */
    private static final class ServerCodecBuilder extends Http2FrameCodecBuilder {
        ServerCodecBuilder(DefaultHttp2Connection connection) {
            connection(connection);
            gracefulShutdownTimeoutMillis(0); // as Http2FrameCodecBuilder.forServer() sets it
        }
    }

    /**
     * Goes in below an h2 codec: each stream's response flushes the connection, and responses that arrive in one
     * event-loop turn (from several upstream connections) go out in one write instead of one per stream.
     */
    static FlushConsolidationHandler flushConsolidation() {
        return new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    }

    private H2Frontend streams() {
        return new H2Frontend(shared, "http", idleTimeout);
    }

    /**
     * Turns the connection from HTTP/1.1 into h2: the connection-level frontend and its keep-alive timer go
     * (streams have their own frontends), and the connection reads freely, since each stream's window now bounds its
     * buffering.
     */
    private static final class Http2Switch extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ChannelPipeline pipeline = ctx.pipeline();
            if (pipeline.get(HandlerNames.FRONTEND) != null) {
                pipeline.remove(HandlerNames.FRONTEND);
            }
            pipeline.addFirst(HandlerNames.FLUSH_CONSOLIDATION, flushConsolidation());
            ctx.channel().config().setAutoRead(true);
            pipeline.remove(this);
        }
    }
}
