package dev.berth.proxy.tcp;

import dev.berth.proxy.config.TcpConfig;
import dev.berth.proxy.config.TcpService;
import dev.berth.proxy.transport.EpollHalfCloseGuard;
import dev.berth.proxy.transport.LessLoadedLoop;
import dev.berth.proxy.transport.Transport;
import dev.berth.proxy.transport.TransportChoice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw TCP (L4) data plane: one listener per {@link TcpService}, each relaying its connections to the service's
 * endpoints. Takes a new {@link TcpConfig} at any time ({@link #apply}): new listen addresses are bound, vanished ones
 * closed, and listeners that stay get the new endpoints and balancer for their next connection while connections
 * already relayed carry on untouched. Sits beside the HTTP {@link dev.berth.proxy.http.DataPlane}, fed by the same
 * snapshot through the appliance.
 *
 * <p><b>Transport.</b> L4 runs on epoll wherever epoll exists, even when the HTTP plane runs on io_uring, in an
 * event-loop group of its own (threads named {@code berth-tcp}): Netty 4.2.18's io_uring sometimes stops writing to a
 * peer that has half-closed (docs/toolchain-notes.md), and only epoll can splice socket to socket
 * ({@code AbstractEpollStreamChannel.spliceTo}; io_uring splices only files into sockets, {@code IORING_OP_SPLICE} is
 * package-private). Without epoll (not Linux) L4 runs on the chosen transport.
 *
 * <p><b>Relay.</b> By default relays copy through buffers, reading up to {@link RelayContext#BUFFERED_READS 256 KiB}
 * at a time. {@code splice(2)}, which moves the bytes socket → pipe → socket in the kernel, is the option
 * ({@code run --tcp-splice}). Buffers win by default because Netty's splice moves at most one pipe (64 KiB, not
 * resizable from outside) per round and asks for each round through epoll, while a buffered read takes up to
 * 256 KiB in one system call: in {@code ./berth bench} (iperf3, one stream, the proxy and the sink sharing one CPU,
 * 2026-11-27) splice carried 11.8–13.7 Gbit/s, buffers 15.3–16.5 (benchmarks/README.md, tuning log). Splice keeps
 * L4 bytes out of the heap, which may still pay off on a NIC, where the buffered relay copies twice and splice not
 * at all; measure before choosing it. {@link #transport()} and {@link #relay()} say what is in use; {@link #stats()}
 * shows it per byte.
 */
public final class TcpDataPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpDataPlane.class);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** How relays move bytes: in the kernel with {@code splice(2)} (epoll), or through ByteBufs (io_uring, NIO). */
    public enum Relay {
        SPLICE, BYTEBUF;

        /** The lower-case name, as logs and the admin API show it. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * How the relays have moved bytes since start.
     *
     * @param relay the relay kind in use, so a reader of these figures knows which of them to expect to grow
     * @param connections connections relayed (an upstream connection was made)
     * @param spliceStarts directions that relayed with {@code splice(2)}, two per connection when splicing
     * @param splicedReads splice rounds (socket → pipe → socket) done in the kernel
     * @param bufferedBytes bytes that passed through a ByteBuf: everything, unless splicing; then only bytes sent
     *     behind a PROXY header in its segment, and bytes still queued when a FIN arrived
     */
    public record RelayStats(Relay relay, long connections, long spliceStarts, long splicedReads, long bufferedBytes) {
    }

    /**
     * A service whose listener could not be bound; the other services are served regardless.
     *
     * @param message the cause, e.g. {@code Address already in use}
     */
    public record BindFailure(String service, InetSocketAddress listen, String message) {
        @Override
        public String toString() {
            return "tcp service " + service + ": cannot listen on " + listen.getAddress().getHostAddress() + ":" + listen.getPort()
                    + ": " + message + " (expected: a free address this host owns)";
        }
    }

    /** How to run: transport and whether to splice where it can (epoll). */
    record Settings(Transport transport, int eventLoops, Duration connectTimeout, boolean splice) {
        Settings {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
        }
    }

    private final EventLoopGroup group;
    private final LessLoadedLoop placement;
    private final RelayContext context;
    private final Map<Object, TcpListener> listeners = new HashMap<>();
    private final Map<String, Object> keysByService = new HashMap<>();

    private TcpDataPlane(EventLoopGroup group, LessLoadedLoop placement, RelayContext context) {
        this.group = group;
        this.placement = placement;
        this.context = context;
    }

    /**
     * Starts the event loops; listeners come with {@link #apply}. Relays copy through buffers.
     *
     * @param transport the data plane's transport choice; io_uring is served on epoll here (see the class comment)
     * @param eventLoops 0 for one per available processor
     */
    public static TcpDataPlane start(TransportChoice transport, int eventLoops) {
        return start(transport, eventLoops, false);
    }

    /**
     * As {@link #start(TransportChoice, int)}, with the relay kind chosen.
     *
     * @param splice relay with {@code splice(2)} where the transport allows (epoll). Half-closed epoll sockets need
     *     {@link EpollHalfCloseGuard}, whichever the relay; with it, {@code TcpRelayTest}'s 64 MiB-both-ways case passes
     *     on every run.
     */
    public static TcpDataPlane start(TransportChoice transport, int eventLoops, boolean splice) {
        return start(new Settings(l4Transport(transport.transport()), eventLoops, DEFAULT_CONNECT_TIMEOUT, splice));
    }

    static TcpDataPlane start(Settings settings) {
        if (settings.eventLoops() < 0) {
            throw new IllegalArgumentException("eventLoops: " + settings.eventLoops() + " (expected: >= 0, 0 for one per core)");
        }
        int threads = settings.eventLoops() > 0 ? settings.eventLoops() : Runtime.getRuntime().availableProcessors();
        boolean splice = settings.splice() && settings.transport() == Transport.EPOLL;
        LessLoadedLoop placement = new LessLoadedLoop();
        EventLoopGroup group = settings.transport().newEventLoopGroup(threads, "tcp", placement);
        log.info("TCP data plane on {} ({} event loops, {} relay)", settings.transport(), threads, splice ? Relay.SPLICE : Relay.BYTEBUF);
        return new TcpDataPlane(group, placement, new RelayContext(settings.transport(), splice, settings.connectTimeout(), threads));
    }

    /** L4 takes epoll whenever it can (see the class comment). */
    static Transport l4Transport(Transport chosen) {
        return chosen == Transport.IO_URING && Transport.EPOLL.unavailabilityCause().isEmpty() ? Transport.EPOLL : chosen;
    }

    /**
     * Puts a configuration in force: binds listeners for new services, closes those of vanished ones and gives the
     * rest their new endpoints. A service that cannot bind is left out and reported; the others are served.
     *
     * @return one entry per service whose listener could not be bound, empty when all are listening
     */
    public synchronized List<BindFailure> apply(TcpConfig config) {
        Objects.requireNonNull(config, "config");
        List<BindFailure> failures = new ArrayList<>();
        Map<String, Object> nextKeys = new HashMap<>();
        Set<Object> wanted = new HashSet<>();
        for (TcpService service : config.services()) {
            Object key = listenerKey(service);
            wanted.add(key);
            TcpRoute route = TcpRoute.of(service, context.loopCount());
            TcpListener existing = listeners.get(key);
            if (existing != null) {
                existing.swap(route);
                nextKeys.put(service.name(), key);
                continue;
            }
            TcpListener listener = new TcpListener(route);
            try {
                listener.bound(serverBootstrap(listener).bind(service.listen()).sync().channel());
                listeners.put(key, listener);
                nextKeys.put(service.name(), key);
                log.info("tcp service {} listening on {}", service.name(), listener.address());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new BindFailure(service.name(), service.listen(), "interrupted while binding"));
            } catch (Exception e) {
                BindFailure failure = new BindFailure(service.name(), service.listen(), String.valueOf(e.getMessage()));
                log.warn("{}", failure);
                failures.add(failure);
            }
        }
        listeners.entrySet().removeIf(entry -> {
            if (wanted.contains(entry.getKey())) {
                return false;
            }
            log.info("tcp listener on {} closed", entry.getValue().address());
            entry.getValue().close();
            return true;
        });
        keysByService.clear();
        keysByService.putAll(nextKeys);
        log.info("tcp generation {}: {} services, {} listening", config.generation(), config.services().size(), listeners.size());
        return List.copyOf(failures);
    }

    /** A listener is its address; port 0 asks for a fresh port each time, so it belongs to its service instead. */
    private static Object listenerKey(TcpService service) {
        return service.listen().getPort() == 0 ? service.name() + " @ " + service.listen() : service.listen();
    }

    private ServerBootstrap serverBootstrap(TcpListener listener) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(context.transport().serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(placement.counter())
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new TcpInitializer(listener, context));
        if (context.splice()) {
            bootstrap.childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, RelayContext.SPLICE_AWARE_ESTIMATOR);
        } else {
            bootstrap.childOption(ChannelOption.RCVBUF_ALLOCATOR, RelayContext.BUFFERED_READS);
        }
        return bootstrap;
    }

    /** Where a service's listener is bound (the real port when it asked for port 0), if it is listening. */
    public synchronized Optional<InetSocketAddress> boundAddress(String service) {
        Object key = keysByService.get(service);
        return key == null ? Optional.empty() : Optional.of(listeners.get(key).address());
    }

    /** The transport L4 runs on, which may differ from the HTTP plane's (see the class comment). */
    public Transport transport() {
        return context.transport();
    }

    /** Whether relays use {@code splice(2)}: when asked to, on epoll. */
    public boolean splices() {
        return context.splice();
    }

    /** The relay kind in use: {@link Relay#SPLICE} when asked to, on epoll. */
    public Relay relay() {
        return context.splice() ? Relay.SPLICE : Relay.BYTEBUF;
    }

    public RelayStats stats() {
        return context.counters().snapshot(relay());
    }

    /** Closes every listener and, with the event loops, every relayed connection. */
    @Override
    public synchronized void close() {
        for (TcpListener listener : listeners.values()) {
            listener.close();
        }
        listeners.clear();
        keysByService.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
