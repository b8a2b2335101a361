package dev.berth.proxy.http;

import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP data plane: one listener on the chosen transport, one event loop per core by default. Takes a new
 * {@link ProxyConfig} at any time ({@link #apply}); requests already started finish on the routing they began
 * with, new ones see the new routing at once.
 */
public final class DataPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataPlane.class);

    /**
     * @param eventLoops 0 for one per available processor
     * @param trustedProxies CIDRs whose X-Forwarded-* and Forwarded headers are kept and appended to
     * @param tcpSplice raw TCP Services relay with {@code splice(2)} on epoll instead of through buffers on the chosen
     *     transport (see {@link dev.berth.proxy.tcp.TcpDataPlane})
     */
    public record Settings(TransportChoice transport, InetSocketAddress http, int eventLoops, Duration connectTimeout,
            Duration responseTimeout, Duration idleTimeout, int maxIdlePerEndpoint, List<String> trustedProxies,
            boolean tcpSplice) {

        public Settings {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(http, "http");
            trustedProxies = List.copyOf(trustedProxies);
        }

        public Settings withTrustedProxies(List<String> cidrs) {
            return new Settings(transport, http, eventLoops, connectTimeout, responseTimeout, idleTimeout, maxIdlePerEndpoint, cidrs, tcpSplice);
        }

        /** @param loops 0 for one per available processor */
        public Settings withEventLoops(int loops) {
            return new Settings(transport, http, loops, connectTimeout, responseTimeout, idleTimeout, maxIdlePerEndpoint, trustedProxies, tcpSplice);
        }

        public Settings withTcpSplice(boolean splice) {
            return new Settings(transport, http, eventLoops, connectTimeout, responseTimeout, idleTimeout, maxIdlePerEndpoint, trustedProxies, splice);
        }

        /** Production defaults around a transport and an address. */
        public static Settings defaults(TransportChoice transport, InetSocketAddress http) {
            return new Settings(transport, http, 0, Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(60), 1024, List.of(), false);
        }
    }

    private final EventLoopGroup group;
    private final Channel listener;
    private final ProxyContext shared;

    private DataPlane(EventLoopGroup group, Channel listener, ProxyContext shared) {
        this.group = group;
        this.listener = listener;
        this.shared = shared;
    }

    /**
     * Binds the HTTP listener.
     *
     * @throws IllegalArgumentException when the address cannot be bound, saying which
     */
    public static DataPlane start(Settings settings) throws InterruptedException {
        int threads = settings.eventLoops() > 0 ? settings.eventLoops() : Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = settings.transport().transport().newEventLoopGroup(threads, "proxy");
        ProxyContext shared = new ProxyContext(threads, settings.transport().transport().socketChannelClass(), settings.connectTimeout(),
                settings.responseTimeout(), settings.idleTimeout(), settings.maxIdlePerEndpoint(), settings.trustedProxies());
        // Every channel, downstream and upstream, takes Netty's default allocator (adaptive in 4.2): the pooled one
        // downstream beside the adaptive one upstream measured 0.85-0.88 of HAProxy on 1 KiB keep-alive, the adaptive
        // one on both sides 0.91-0.93 (benchmarks/README.md, tuning log).
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(settings.transport().transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false) // TCP_NODELAY is every Netty socket channel's default
                .childHandler(new DownstreamInitializer(shared, settings.idleTimeout()));
        try {
            Channel listener = bootstrap.bind(settings.http()).sync().channel();
            log.info("HTTP listener on {} ({}, {} event loops)", listener.localAddress(), settings.transport().transport(), threads);
            return new DataPlane(group, listener, shared);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalArgumentException("--http " + settings.http().getHostString() + ":" + settings.http().getPort()
                    + ": cannot listen: " + e.getMessage() + " (expected: a free address this host owns)");
        }
    }

    /** Puts a new configuration in force for every request that starts from now on. */
    public void apply(ProxyConfig config) {
        shared.apply(config);
        log.info("routing generation {}: {} routes, {} backends", config.generation(), config.routes().size(), config.backends().size());
    }

    public InetSocketAddress httpAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
