package dev.berth.proxy.http;

import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.config.TlsCertificate;
import dev.berth.proxy.tls.ServedCertificate;
import dev.berth.proxy.tls.ServerTls;
import dev.berth.proxy.tls.TlsLibrary;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP data plane: one listener on the chosen transport (on epoll and io_uring, one socket per event loop sharing
 * the port: {@link Listener}), one event loop per core by default. Takes a new
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
    private final Listener listener;
    private final ProxyContext shared;
    private final Optional<HttpsListener> https;

    /** The HTTPS listener and the certificates it presents. */
    private record HttpsListener(Listener listener, ServerTls tls) {}

    /**
     * The listening sockets of one address. On epoll and io_uring there is one per event loop, all bound to the port
     * with {@code SO_REUSEPORT}, and each loop accepts its own connections and serves them itself: the kernel spreads
     * new connections over the sockets (NGINX's {@code reuseport}, HAProxy's per-thread listeners). One socket for all
     * loops would accept on one loop and hand every other connection to another, a task and a wake-up of that loop
     * per connection. NIO keeps one socket, its connections spread over the loops in turn.
     */
    private record Listener(List<Channel> sockets) {
        InetSocketAddress address() {
            return (InetSocketAddress) sockets.getFirst().localAddress();
        }

        void close() {
            sockets.forEach(socket -> socket.close().syncUninterruptibly());
        }
    }

    private DataPlane(EventLoopGroup group, Listener listener, ProxyContext shared, Optional<HttpsListener> https) {
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
        EventLoopGroup group = settings.transport().transport().newEventLoopGroup(threads, "proxy");
        ProxyContext shared = new ProxyContext(threads, settings.transport().transport().socketChannelClass(), settings.connectTimeout(),
                settings.responseTimeout(), settings.idleTimeout(), settings.maxIdlePerEndpoint(), settings.trustedProxies(),
                settings.tlsLibrary());
        Listener listener;
        try {
            listener = bind(settings, group, "--http", settings.http(), new DownstreamInitializer(shared, settings.idleTimeout()));
            log.info("HTTP listener on {} ({}, {} event loops, {} listening sockets)", listener.address(), settings.transport().transport(),
                    threads, listener.sockets().size());
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
            Listener httpsListener = bind(settings, group, "--https", https.address(),
                    new TlsInitializer(shared, tls, settings.idleTimeout(), https.handshakeTimeout()));
            log.info("HTTPS listener on {}", httpsListener.address());
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
    private static Listener bind(Settings settings, EventLoopGroup group, String option, InetSocketAddress address,
            ChannelInitializer<Channel> initializer) throws InterruptedException {
        Optional<ChannelOption<Boolean>> reusePort = settings.transport().transport().reusePort();
        if (reusePort.isEmpty()) {
            return new Listener(List.of(bindSocket(settings, group, option, address, initializer, reusePort)));
        }
        List<Channel> sockets = new ArrayList<>();
        try {
            InetSocketAddress port = address;
            for (EventExecutor loop : group) {
                Channel socket = bindSocket(settings, (EventLoop) loop, option, port, initializer, reusePort);
                sockets.add(socket);
                port = (InetSocketAddress) socket.localAddress(); // port 0: the others join the port the first was given
            }
        } catch (RuntimeException | InterruptedException e) {
            new Listener(sockets).close();
            throw e;
        }
        return new Listener(List.copyOf(sockets));
    }

    /**
     * A listening socket whose connections are served on {@code loops}: a whole group's in turn, or one loop's own;
     * with {@code reusePort} set on it when the transport has the option.
     */
    private static Channel bindSocket(Settings settings, EventLoopGroup loops, String option, InetSocketAddress address,
            ChannelInitializer<Channel> initializer, Optional<ChannelOption<Boolean>> reusePort) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(settings.transport().transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false) // TCP_NODELAY is every Netty socket channel's default
                .childHandler(initializer);
        reusePort.ifPresent(sharing -> bootstrap.option(sharing, true));
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
        return listener.address();
    }

    /** The HTTP listener's sockets, one per event loop on epoll and io_uring (for tests). */
    List<Channel> listeningSockets() {
        return listener.sockets();
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
        return https.map(listener -> listener.listener().address());
    }

    @Override
    public void close() {
        listener.close();
        https.ifPresent(listener -> listener.listener().close());
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
