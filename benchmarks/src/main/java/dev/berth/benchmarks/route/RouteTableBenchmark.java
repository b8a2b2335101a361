package dev.berth.benchmarks.route;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.HttpRoute.PathType;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.route.RouteTable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RouteTable#match} on a cluster-sized table: 1,000 exact hosts with five paths each (Exact and nested
 * Prefix), 100 wildcard hosts, host-less rules and a default backend. Each call takes the next of 1,024
 * requests of one kind, with the Host header in mixed case and with a port, as clients send it. Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} must be about 0 B/op, since every request pays for it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RouteTableBenchmark {
    private static final int HOSTS = 1_000;
    private static final int WILDCARDS = 100;
    private static final int REQUESTS = 1_024;

    /** What kind of request each call matches. */
    public enum Request {
        /** An exact host, a four-element path under the longest of nested prefixes, with a query. */
        DEEP_PREFIX,
        /** An exact host and an Exact path. */
        EXACT_PATH,
        /** A host under a {@code *.} wildcard. */
        WILDCARD,
        /** An unknown host and path that only the host-less rules or the default backend take. */
        FALLBACK
    }

    @Param
    public Request request;

    private RouteTable table;
    private String[] hosts;
    private String[] uris;
    private int next;

    @Setup
    public void buildTableAndRequests() {
        table = RouteTable.of(config());
        hosts = new String[REQUESTS];
        uris = new String[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            int n = (i * 7919) % HOSTS;
            switch (request) {
                case DEEP_PREFIX -> {
                    hosts[i] = "Shop-" + n + ".Example.com:443";
                    uris[i] = "/api/v1/users/" + i + "?page=2&sort=name";
                }
                case EXACT_PATH -> {
                    hosts[i] = "shop-" + n + ".example.com";
                    uris[i] = "/healthz";
                }
                case WILDCARD -> {
                    hosts[i] = "tenant-" + i + ".apps-" + (n % WILDCARDS) + ".example.net:8443";
                    uris[i] = "/dashboard/settings";
                }
                case FALLBACK -> {
                    hosts[i] = "unknown-" + n + ".example.org";
                    uris[i] = "/nothing/here?x=1";
                }
            }
        }
        for (int i = 0; i < REQUESTS; i++) {
            if (table.match(hosts[i], uris[i]) == null) {
                throw new IllegalStateException(hosts[i] + uris[i] + " matched nothing (expected: a target)");
            }
        }
    }

    @Benchmark
    public RouteTable.Target match() {
        int i = next;
        next = (i + 1) & (REQUESTS - 1);
        return table.match(hosts[i], uris[i]);
    }

    private static ProxyConfig config() {
        List<HttpRoute> routes = new ArrayList<>();
        Map<String, Backend> backends = new HashMap<>();
        for (int i = 0; i < HOSTS; i++) {
            String host = "shop-" + i + ".example.com";
            String backend = "shop/web-" + i + ":http";
            backends.put(backend, backend(backend));
            routes.add(new HttpRoute(host, PathType.PREFIX, "/", backend, "Ingress shop/web-" + i, i));
            routes.add(new HttpRoute(host, PathType.PREFIX, "/api", backend, "Ingress shop/web-" + i, i));
            routes.add(new HttpRoute(host, PathType.PREFIX, "/api/v1/", backend, "Ingress shop/web-" + i, i));
            routes.add(new HttpRoute(host, PathType.PREFIX, "/api/v1/users", backend, "Ingress shop/web-" + i, i));
            routes.add(new HttpRoute(host, PathType.EXACT, "/healthz", backend, "Ingress shop/web-" + i, i));
        }
        for (int i = 0; i < WILDCARDS; i++) {
            String backend = "apps/portal-" + i + ":http";
            backends.put(backend, backend(backend));
            routes.add(new HttpRoute("*.apps-" + i + ".example.net", PathType.PREFIX, "/", backend, "Ingress apps/portal-" + i, i));
        }
        backends.put("default/catch-all:http", backend("default/catch-all:http"));
        routes.add(new HttpRoute("", PathType.PREFIX, "/static", "default/catch-all:http", "Ingress default/catch-all", 0));
        return new ProxyConfig(1, routes, Optional.of("default/catch-all:http"), backends);
    }

    private static Backend backend(String name) {
        return new Backend(name, Backend.Protocol.HTTP, "round-robin",
                List.of(new Endpoint(new InetSocketAddress("127.0.0.1", 8080), 1, null)));
    }
}
