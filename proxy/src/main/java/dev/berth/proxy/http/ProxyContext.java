package dev.berth.proxy.http;

import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.tls.TlsLibrary;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every frontend of one data plane shares: the routing in force (swapped atomically per configuration;
 * a request keeps the Routing it started with), the per-event-loop upstream pools, and the settings.
 */
final class ProxyContext {
    private final AtomicReference<Routing> routing = new AtomicReference<>(Routing.EMPTY);
    private final FastThreadLocal<LoopState> loops = new FastThreadLocal<>();
    private final AtomicInteger nextLoopIndex = new AtomicInteger();
    private final int loopCount;
    private final Bootstrap upstreamTemplate;
    private final UpstreamInitializer upstreamInitializer;
    private final Duration upstreamIdleTimeout;
    private final UpstreamTls upstreamTls;
    private final int maxIdlePerEndpoint;
    private final ForwardedHeaders forwarded;
    private final Duration responseTimeout;

    /** What one event loop owns: its index (for per-loop balancer state) and its upstream connections. */
    record LoopState(int index, UpstreamPool pool, H2Upstreams h2) {
    }

    ProxyContext(int loopCount, Class<? extends Channel> upstreamChannel, Duration connectTimeout, Duration responseTimeout,
            Duration upstreamIdleTimeout, int maxIdlePerEndpoint, List<String> trustedProxies, TlsLibrary tlsLibrary) {
        this.loopCount = loopCount;
        this.upstreamTemplate = UpstreamPool.template(upstreamChannel, (int) connectTimeout.toMillis());
        this.upstreamInitializer = new UpstreamInitializer(upstreamIdleTimeout);
        this.upstreamIdleTimeout = upstreamIdleTimeout;
        this.upstreamTls = new UpstreamTls(connectTimeout, tlsLibrary);
        this.maxIdlePerEndpoint = maxIdlePerEndpoint;
        this.forwarded = new ForwardedHeaders(trustedProxies);
        this.responseTimeout = responseTimeout;
    }

    Routing routing() {
        return routing.get();
    }

    void apply(ProxyConfig config) {
        routing.set(Routing.of(config, loopCount));
    }

    /** The calling event loop's state, made on first use; must be called on {@code loop}. */
    LoopState loop(EventLoop loop) {
        LoopState state = loops.getIfExists();
        if (state == null) {
            int index = nextLoopIndex.getAndIncrement();
            if (index >= loopCount) {
                throw new IllegalStateException("event loop " + index + " (expected: < " + loopCount + " loops)");
            }
            state = new LoopState(index, new UpstreamPool(loop, upstreamTemplate, upstreamInitializer, upstreamTls, maxIdlePerEndpoint),
                    new H2Upstreams(loop, upstreamTemplate, upstreamIdleTimeout));
            loops.set(state);
        }
        return state;
    }

    ForwardedHeaders forwarded() {
        return forwarded;
    }

    Duration responseTimeout() {
        return responseTimeout;
    }
}
