package dev.berth.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;

/**
 * How much a peer may send on one of Berth's h2 connections, all streams together, before Berth gives bytes back: 1 MiB,
 * upstream and downstream alike, as gRPC-Java's transport sets and Envoy recommends at the edge. h2's own 64 KiB is less
 * than a busy connection has in flight — NGINX answers 128 streams a connection, 128 responses of 1 KiB — and Netty's
 * codec gives a connection's bytes back only once half of its window is taken, so with 64 KiB the endpoint stalled
 * every 32 KiB until the proxy's next window update came round (HAProxy gives them back on every read). Each stream's
 * own window stays 64 KiB and a stream's bytes go back only as they are forwarded, so a slow reader still holds back
 * just its own stream; what one connection can make Berth hold is 1 MiB (it was 64 KiB).
 */
final class H2ConnectionWindow {
    static final int BYTES = 1 << 20;

    private H2ConnectionWindow() {}

    /** Widens the connection's window to {@link #BYTES}: once, after the codec's preface, from the handler behind it. */
    static void widen(ChannelHandlerContext behindCodec) {
        behindCodec.writeAndFlush(new DefaultHttp2WindowUpdateFrame(BYTES - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
    }
}
