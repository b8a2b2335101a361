package dev.berth.proxy.http;

import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.config.TlsCertificate;
import dev.berth.proxy.tls.ServedCertificate;
import dev.berth.proxy.tls.ServerTls;
import dev.berth.proxy.tls.TlsLibrary;
import dev.berth.proxy.transport.LessLoadedLoop;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
     * @param https the HTTPS listener, or empty for none
     * @param tlsLibrary the TLS implementation of the HTTPS listener and of the connections to {@code https} backends
     */
    public record Settings(TransportChoice transport, InetSocketAddress http, int eventLoops, Duration connectTimeout,
            Duration responseTimeout, Duration idleTimeout, int maxIdlePerEndpoint, List<String> trustedProxies,
            boolean tcpSplice, Optional<Https> https, TlsLibrary tlsLibrary) {

        public Settings {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(http, "http");
            trustedProxies = List.copyOf(trustedProxies);
            Objects.requireNonNull(https, "https");
            Objects.requireNonNull(tlsLibrary, "tlsLibrary");
        }

        /** Without an HTTPS listener. */
        public Settings(TransportChoice transport, InetSocketAddress http, int eventLoops, Duration connectTimeout, Duration responseTimeout,
                Duration idleTimeout, int maxIdlePerEndpoint, List<String> trustedProxies, boolean tcpSplice) {
            this(transport, http, eventLoops, connectTimeout, responseTimeout, idleTimeout, maxIdlePerEndpoint, trustedProxies, tcpSplice,
                    Optional.empty(), TlsLibrary.AUTO);
        }

        public Settings withTrustedProxies(List<String> cidrs) {
            return new Settings(transport, http, eventLoops, connectTimeout, responseTimeout, idleTimeout, maxIdlePerEndpoint, cidrs, tcpSplice,
                    https, tlsLibrary);
        }

        /** @param loops 0 for one per available processor */
        public Settings withEventLoops(int loops) {
            return new Settings(transport, http, loops, connectTimeout, responseTimeout, idleTimeout, maxIdlePerEndpoint, trustedProxies, tcpSplice,
                    https, tlsLibrary);
        }

        public Settings withTcpSplice(boolean splice) {
            return new Settings(transport, http, eventLoops, connectTimeout, responseTimeout, idleTimeout, maxIdlePerEndpoint, trustedProxies, splice,
                    https, tlsLibrary);
        }

        /** @param listener the HTTPS listener, or empty for none */
        public Settings withHttps(Optional<Https> listener) {
            return new Settings(transport, http, eventLoops, connectTimeout, responseTimeout, idleTimeout, maxIdlePerEndpoint, trustedProxies, tcpSplice,
                    listener, tlsLibrary);
        }

        public Settings withTlsLibrary(TlsLibrary library) {
            return new Settings(transport, http, eventLoops, connectTimeout, responseTimeout, idleTimeout, maxIdlePerEndpoint, trustedProxies, tcpSplice,
                    https, library);
        }

        /** Production defaults around a transport and an address; no HTTPS listener. */
        public static Settings defaults(TransportChoice transport, InetSocketAddress http) {
            return new Settings(transport, http, 0, Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(60), 1024, List.of(), false);
        }
    }

    /**
     * The HTTPS listener.
     *
     * @param handshakeTimeout how long a connection may take from accept to its ClientHello, and again from there to
     *     the end of its TLS handshake
     * @param sessionTickets whether clients may resume TLS sessions by ticket (TLS 1.3 resumption), as HAProxy and NGINX
     *     let them by default; off, every new connection is a full handshake
     */
    public record Https(InetSocketAddress address, Duration handshakeTimeout, boolean sessionTickets) {

        public Https {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        }

        /**
         * Production defaults: session tickets, and 10 s for a handshake (NGINX and HAProxy bound it by their client
         * header and request timeouts).
         */
        public static Https at(InetSocketAddress address) {
            return new Https(address, Duration.ofSeconds(10), true);
        }

        public Https withSessionTickets(boolean tickets) {
            return new Https(address, handshakeTimeout, tickets);
        }
    }

    private final EventLoopGroup group;
    private final Channel listener;
    private final ProxyContext shared;
    private final Optional<HttpsListener> https;

    /** The HTTPS listener and the certificates it presents. */
    private record HttpsListener(Channel channel, ServerTls tls) {}

    private DataPlane(EventLoopGroup group, Channel listener, ProxyContext shared, Optional<HttpsListener> https) {
        this.group = group;
        this.listener = listener;
        this.shared = shared;
        this.https = https;
    }

    /**
     * Binds the HTTP listener, and the HTTPS one if the settings name it.
     *
     * @throws IllegalArgumentException when an address cannot be bound, saying which
     */
    public static DataPlane start(Settings settings) throws InterruptedException {
        int threads = settings.eventLoops() > 0 ? settings.eventLoops() : Runtime.getRuntime().availableProcessors();
        LessLoadedLoop placement = new LessLoadedLoop();
        EventLoopGroup group = settings.transport().transport().newEventLoopGroup(threads, "proxy", placement);
        ProxyContext shared = new ProxyContext(threads, settings.transport().transport().socketChannelClass(), settings.connectTimeout(),
                settings.responseTimeout(), settings.idleTimeout(), settings.maxIdlePerEndpoint(), settings.trustedProxies(),
                settings.tlsLibrary());
        Channel listener;
        try {
            listener = bind(settings, group, placement, "--http", settings.http(), new DownstreamInitializer(shared, settings.idleTimeout()));
            log.info("HTTP listener on {} ({}, {} event loops)", listener.localAddress(), settings.transport().transport(), threads);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        if (settings.https().isEmpty()) {
            return new DataPlane(group, listener, shared, Optional.empty());
        }
        try {
            Https https = settings.https().get();
            ServerTls tls = ServerTls.start(https.sessionTickets(), settings.tlsLibrary());
            Channel httpsListener = bind(settings, group, placement, "--https", https.address(),
                    new TlsInitializer(shared, tls, settings.idleTimeout(), https.handshakeTimeout()));
            log.info("HTTPS listener on {}", httpsListener.localAddress());
            return new DataPlane(group, listener, shared, Optional.of(new HttpsListener(httpsListener, tls)));
        } catch (RuntimeException | InterruptedException e) {
            listener.close();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    // Every channel, downstream and upstream, takes Netty's default allocator (adaptive in 4.2): the pooled one
    // downstream beside the adaptive one upstream measured 0.85-0.88 of HAProxy on 1 KiB keep-alive, the adaptive
    // one on both sides 0.91-0.93 (benchmarks/README.md, tuning log).
    // One listening socket per address, its connections placed on the less loaded of two loops (LessLoadedLoop), as
    // HAProxy spreads them over its threads. A socket per loop sharing the port (SO_REUSEPORT, the seventeenth
    // session) saved a hand-off per connection but let the kernel's hash of the addresses split them: under 64
    // keep-alive clients the two loops' epoll sets held 54 and 82 sockets where one socket gives 67 and 67, so one loop
    // served up to half again what the other did (a longer tail where loops share a CPU, one saturated first where
    // they do not).
    private static Channel bind(Settings settings, EventLoopGroup group, LessLoadedLoop placement, String option,
            InetSocketAddress address, ChannelInitializer<Channel> initializer) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(settings.transport().transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(placement.counter())
                .childOption(ChannelOption.AUTO_READ, false) // TCP_NODELAY is every Netty socket channel's default
                .childHandler(initializer);
        try {
            return bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(option + " " + address.getHostString() + ":" + address.getPort()
                    + ": cannot listen: " + e.getMessage() + " (expected: a free address this host owns)");
        }
    }

    /**
     * Puts a new configuration in force for every request and TLS handshake that starts from now on. A certificate that
     * cannot serve is left out (logged); the names it would have served get the default certificate.
     */
    public void apply(ProxyConfig config) {
        shared.apply(config);
        https.ifPresent(listener -> listener.tls().apply(config.certificates(), config.defaultCertificate()));
        log.info("routing generation {}: {} routes, {} backends, {} certificates, default certificate {}", config.generation(),
                config.routes().size(), config.backends().size(), config.certificates().size(),
                config.defaultCertificate().map(TlsCertificate::source).orElse("Berth's own"));
    }

    public InetSocketAddress httpAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The configuration in force (for the admin API). */
    public ProxyConfig config() {
        return shared.routing().config();
    }

    /** The certificates the HTTPS listener presents now (empty without one): the default first. */
    public List<ServedCertificate> certificates() {
        return https.map(listener -> listener.tls().served()).orElse(List.of());
    }

    /** Where the HTTPS listener is bound, if there is one. */
    public Optional<InetSocketAddress> httpsAddress() {
        return https.map(listener -> (InetSocketAddress) listener.channel().localAddress());
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        https.ifPresent(listener -> listener.channel().close().syncUninterruptibly());
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
