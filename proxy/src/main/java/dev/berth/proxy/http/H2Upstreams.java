package dev.berth.proxy.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cleartext HTTP/2 (h2c, prior knowledge) to endpoints that speak it, gRPC above all: multiplexed connections per
 * endpoint and event loop, one stream per request. A stream ({@link H2UpstreamStream}, fed by the connection's
 * {@link H2Backend}) carries the same HTTP objects as an HTTP/1.1 connection, so the frontend's logic is the same for
 * both; trailers travel as the last content's trailing headers.
 *
 * <p>A connection takes as many streams as the endpoint's SETTINGS allow (NGINX says 128, grpc-java's
 * {@code maxConcurrentCallsPerConnection} what it is set to); streams beyond that open another connection, as HAProxy
 * and Envoy do, instead of being refused. So a stream is placed only on a connection whose SETTINGS have arrived, and
 * is counted there from the moment it is asked for; requests that come while the only connection is still being made
 * wait for it rather than each making one of their own; an endpoint whose SETTINGS do not come within the connect
 * timeout is taken for one that does not speak h2 (504). At most {@link #MAX_CONNECTIONS_PER_ENDPOINT} connections
 * per endpoint and loop: beyond them a stream fails (the client gets a 502 naming the reason). A connection without a
 * stream for the upstream idle timeout is closed (GOAWAY first), as an idle HTTP/1.1 one in the pool is, so the
 * connections a burst needed go again.
 */
final class H2Upstreams {
    static final int MAX_CONNECTIONS_PER_ENDPOINT = 64;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final long settleTimeoutMillis;
    private final long idleNanos;
    private final Map<InetSocketAddress, List<H2Connection>> connections = new HashMap<>();

    H2Upstreams(EventLoop loop, Bootstrap template, Duration idleTimeout) {
        this.loop = loop;
        this.idleNanos = idleTimeout.toNanos();
        this.bootstrap = template.clone(loop);
        Integer connectTimeout = (Integer) template.config().options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS);
        this.settleTimeoutMillis = connectTimeout != null ? connectTimeout : 3_000;
    }

    /** A new stream to the endpoint, on a connection with room for it, made first if there is none. */
    Future<Upstream> openStream(InetSocketAddress endpoint) {
        Promise<Upstream> stream = loop.newPromise();
        place(endpoint, stream);
        return stream;
    }

    private void place(InetSocketAddress endpoint, Promise<Upstream> stream) {
        List<H2Connection> toEndpoint = connections.computeIfAbsent(endpoint, e -> new ArrayList<>());
        H2Connection settling = null;
        for (H2Connection connection : toEndpoint) {
            if (!connection.settled.isDone()) {
                settling = connection;
            } else if (connection.hasRoom()) {
                connection.open(stream);
                return;
            }
        }
        if (settling == null) {
            if (toEndpoint.size() >= MAX_CONNECTIONS_PER_ENDPOINT) {
                stream.tryFailure(new IllegalStateException("all " + MAX_CONNECTIONS_PER_ENDPOINT
                        + " h2 connections to the endpoint are at its limit of concurrent streams"));
                return;
            }
            settling = connect(endpoint, toEndpoint);
        }
        settling.settled.addListener(settled -> {
            if (settled.isSuccess()) {
                place(endpoint, stream);
            } else {
                stream.tryFailure(settled.cause());
            }
        });
    }

    private H2Connection connect(InetSocketAddress endpoint, List<H2Connection> toEndpoint) {
        Promise<Void> settled = loop.newPromise();
        H2Backend backend = new H2Backend(settled);
        Channel channel = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.config().setAutoRead(true); // the connection reads freely; each stream's window holds back data
                // no server push: nothing here would take a pushed stream
                channel.pipeline().addLast(H2cSwitch.flushConsolidation(),
                        Http2FrameCodecBuilder.forClient().initialSettings(Http2Settings.defaultSettings().pushEnabled(false)).build(), backend);
            }
        }).register().channel();
        H2Connection connection = new H2Connection(endpoint, channel, backend, settled, new Deadline(loop, channel::close));
        toEndpoint.add(connection);
        connection.idle.arm(idleNanos);
        channel.closeFuture().addListener(closed -> {
            connection.idle.disarm();
            toEndpoint.remove(connection);
            if (toEndpoint.isEmpty()) {
                connections.remove(endpoint, toEndpoint);
            }
            connection.settled.tryFailure(new IllegalStateException("the endpoint closed the h2 connection before its SETTINGS"));
        });
        channel.connect(endpoint).addListener(connected -> {
            if (!connected.isSuccess()) {
                connection.settled.tryFailure(connected.cause());
                channel.close();
            }
        });
        // the connect timeout covers the TCP connect; this covers the rest, up to the endpoint's SETTINGS
        loop.schedule(() -> {
            if (connection.settled.tryFailure(new ConnectTimeoutException("no h2 SETTINGS from the endpoint within "
                    + settleTimeoutMillis + " ms (does it speak h2c?)"))) {
                channel.close();
            }
        }, settleTimeoutMillis, TimeUnit.MILLISECONDS);
        return connection;
    }

    /** One connection to an endpoint; {@code settled} once the endpoint's first SETTINGS arrived. */
    private final class H2Connection implements H2UpstreamStream.Home {
        final InetSocketAddress endpoint;
        final Channel channel;
        final H2Backend backend;
        final Promise<Void> settled;
        /** Armed while it has no stream: closes it. */
        final Deadline idle;
        int streams; // open or being opened on it

        H2Connection(InetSocketAddress endpoint, Channel channel, H2Backend backend, Promise<Void> settled, Deadline idle) {
            this.endpoint = endpoint;
            this.channel = channel;
            this.backend = backend;
            this.settled = settled;
            this.idle = idle;
        }

        boolean hasRoom() {
            Http2Connection h2 = backend.connection();
            return channel.isActive() && h2 != null && !h2.goAwayReceived() && streams < h2.local().maxActiveStreams();
        }

        void open(Promise<Upstream> stream) {
            if (streams++ == 0) {
                idle.disarm();
            }
            stream.trySuccess(backend.newUpstreamStream(this));
        }

        @Override
        public void streamEnded() {
            if (--streams == 0 && channel.isActive()) {
                idle.arm(idleNanos);
            }
        }

        @Override
        public Future<Upstream> reopen() {
            return openStream(endpoint);
        }
    }
}
