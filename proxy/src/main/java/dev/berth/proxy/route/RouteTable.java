package dev.berth.proxy.route;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.ProxyConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP routes of one {@link ProxyConfig}, ready to answer "which backend serves this request?". The server
 * builds one per configuration generation and swaps it in atomically; a request keeps the table it started with.
 * Immutable, so any event loop may read it; {@link #match} allocates nothing.
 *
 * <p>Semantics are Kubernetes {@code networking.k8s.io/v1} Ingress, across all Ingresses together:
 * <ul>
 *   <li><b>Hosts</b> match case-insensitively, ignoring a {@code :port} and one trailing dot. {@code *.foo.com}
 *       matches exactly one more label: {@code bar.foo.com}, not {@code baz.bar.foo.com} nor {@code foo.com}.
 *   <li><b>One host group answers.</b> The most specific group that exists for the request's host is chosen
 *       first — its exact host, else its wildcard, else the rules without a host — and paths are matched only
 *       within that group: a request for {@code a.foo.com} whose exact-host rules have no matching path gets the
 *       default backend, not a wildcard or host-less rule. The API leaves this open; it is what ingress-nginx
 *       does (one server block per host), so configurations behave as their users already expect.
 *   <li><b>Paths</b>: Exact is literal and case-sensitive ({@code /foo} takes neither {@code /foo/} nor
 *       {@code /FOO}). Prefix matches whole path elements ({@code /foo} takes {@code /foo}, {@code /foo/} and
 *       {@code /foo/bar}, not {@code /foobar}); a trailing slash in the prefix is ignored and {@code /} takes
 *       everything. ImplementationSpecific arrives as Prefix. Query and fragment never take part; the path is
 *       compared as sent, not percent-decoded.
 *   <li><b>Precedence</b> within the group: an Exact path over a Prefix, then the longest prefix, then the lower
 *       {@link HttpRoute#rank()} (older Ingress), then {@link HttpRoute#source()}. When nothing matches, the
 *       {@link ProxyConfig#defaultBackend()}; without one, {@code null} (the server answers 404).
 * </ul>
 */
public final class RouteTable {

    /**
     * What a request is sent to; built with the table, so a match hands out a shared instance.
     *
     * @param route the route that matched (for logs and per-route settings), or null for the default backend
     * @param backend the backend that serves the request
     */
    public record Target(HttpRoute route, Backend backend) {
        public Target {
            Objects.requireNonNull(backend, "backend");
        }

        public boolean isDefault() {
            return route == null;
        }
    }

    public static final RouteTable EMPTY = of(ProxyConfig.EMPTY);

    /** The path of an absolute-form target that has none ({@code http://host}), as RFC 9112 asks. */
    private static final String ROOT = "/";

    private final long generation;
    private final CharRangeTable<PathRules> exactHosts;
    private final CharRangeTable<PathRules> wildcardHosts;
    private final PathRules anyHost;
    private final Target defaultTarget;

    private RouteTable(long generation, CharRangeTable<PathRules> exactHosts, CharRangeTable<PathRules> wildcardHosts,
                       PathRules anyHost, Target defaultTarget) {
        this.generation = generation;
        this.exactHosts = exactHosts;
        this.wildcardHosts = wildcardHosts;
        this.anyHost = anyHost;
        this.defaultTarget = defaultTarget;
    }

    public static RouteTable of(ProxyConfig config) {
        Map<String, List<Target>> exact = new HashMap<>();
        Map<String, List<Target>> wildcard = new HashMap<>();
        List<Target> any = new ArrayList<>();
        for (HttpRoute route : config.routes()) {
            Target target = new Target(route, config.backends().get(route.backend()));
            String host = route.host().toLowerCase(Locale.ROOT);
            if (host.isEmpty()) {
                any.add(target);
            } else if (host.startsWith("*.")) {
                wildcard.computeIfAbsent(host.substring(2), key -> new ArrayList<>()).add(target);
            } else {
                exact.computeIfAbsent(host, key -> new ArrayList<>()).add(target);
            }
        }
        Target defaultTarget = config.defaultBackend().map(name -> new Target(null, config.backends().get(name))).orElse(null);
        return new RouteTable(config.generation(), CharRangeTable.ignoringCase(rulesByHost(exact)),
                CharRangeTable.ignoringCase(rulesByHost(wildcard)), any.isEmpty() ? null : PathRules.of(any), defaultTarget);
    }

    private static Map<String, PathRules> rulesByHost(Map<String, List<Target>> targets) {
        Map<String, PathRules> rules = new HashMap<>();
        targets.forEach((host, list) -> rules.put(host, PathRules.of(list)));
        return rules;
    }

    /** The configuration generation this table was built from, for logs. */
    public long generation() {
        return generation;
    }

    /**
     * The target for one request, or null when no route matches and there is no default backend.
     *
     * @param host the Host header (or {@code :authority}) as received: any case, perhaps with {@code :port},
     *     perhaps an IPv6 literal in brackets; null or empty when the request has none
     * @param uri the request-target as received, origin-form ({@code /p?q}) or absolute-form ({@code http://h/p})
     */
    public Target match(CharSequence host, CharSequence uri) {
        CharSequence path = uri == null ? ROOT : uri;
        int pathStart = RequestParts.pathStart(path);
        int pathEnd = RequestParts.pathEnd(path, pathStart);
        if (pathStart == pathEnd) {
            path = ROOT;
            pathStart = 0;
            pathEnd = 1;
        }
        PathRules rules = hostRules(host);
        Target target = rules == null ? null : rules.match(path, pathStart, pathEnd);
        return target != null ? target : defaultTarget;
    }

    /** The one host group that answers for this host: exact, else wildcard, else the host-less rules. */
    private PathRules hostRules(CharSequence host) {
        if (host == null) {
            return anyHost;
        }
        int end = RequestParts.hostEnd(host);
        if (end == 0) {
            return anyHost;
        }
        // One pass hashes the whole name and what follows its first dot, which is where "*.foo.com" is stored
        int hash = 0;
        int suffixHash = 0;
        int firstDot = -1;
        for (int i = 0; i < end; i++) {
            char c = host.charAt(i);
            hash = exactHosts.step(hash, c);
            if (firstDot >= 0) {
                suffixHash = wildcardHosts.step(suffixHash, c);
            } else if (c == '.') {
                firstDot = i;
            }
        }
        PathRules rules = exactHosts.get(host, 0, end, hash);
        // a wildcard takes exactly one more, non-empty label: "bar.foo.com", not ".foo.com" nor "foo.com"
        if (rules == null && firstDot > 0 && firstDot < end - 1) {
            rules = wildcardHosts.get(host, firstDot + 1, end, suffixHash);
        }
        return rules != null ? rules : anyHost;
    }

    @Override
    public String toString() {
        return "RouteTable{generation=" + generation + "}";
    }
}
