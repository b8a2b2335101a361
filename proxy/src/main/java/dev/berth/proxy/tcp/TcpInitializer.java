package dev.berth.proxy.tcp;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

/**
 * The downstream pipeline of a TCP listener, as a list of steps: a PROXY header decoder when the peer is trusted to
 * send one, then the frontend, which replaces itself with the relay once the upstream connection is up. The route
 * is read once here, so the whole connection lives under the configuration it was accepted in.
 */
final class TcpInitializer extends ChannelInitializer<SocketChannel> {
    /**
     * Handler names. Downstream, in pipeline order: {@link #PROXY_DECODER} (trusted peers only, removes itself after
     * the header), {@link #FRONTEND}, which becomes {@link #RELAY}. Upstream: the relay, with {@link #PROXY_ENCODER}
     * in front of it only while the header is written.
     */
    static final String PROXY_DECODER = "proxy-protocol-decoder";
    static final String FRONTEND = "frontend";
    static final String RELAY = "relay";
    static final String PROXY_ENCODER = "proxy-protocol-encoder";

    private final TcpListener listener;
    private final RelayContext context;

    TcpInitializer(TcpListener listener, RelayContext context) {
        this.listener = listener;
        this.context = context;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        TcpRoute route = listener.route();
        boolean expectHeader = route.trusted().trusts(channel.remoteAddress());
        ChannelPipeline pipeline = channel.pipeline();
        if (expectHeader) {
            pipeline.addLast(PROXY_DECODER, new HAProxyMessageDecoder());
        }
        pipeline.addLast(FRONTEND, new TcpFrontendHandler(route, context, expectHeader));
    }
}
