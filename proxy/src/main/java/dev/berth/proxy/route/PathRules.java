package dev.berth.proxy.route;

import dev.berth.proxy.config.HttpRoute;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The paths of one host group (one exact host, one wildcard, or the rules without a host), from all Ingresses.
 * Exact paths sit in one table, prefixes in another under their path without trailing slashes ({@code /} is
 * the empty key). A lookup walks the request path once, probing the prefix table at each element boundary with
 * the hash accumulated so far: one probe per path element however many routes there are, and time linear in the
 * path's length, so a hostile path of thousands of slashes costs no more than its bytes (hashing each candidate
 * prefix afresh would be quadratic).
 */
final class PathRules {
    /** Between routes with the same path and type: lower rank (older Ingress) first, then source for a stable order. */
    static final Comparator<HttpRoute> PRECEDENCE =
            Comparator.comparingLong(HttpRoute::rank).thenComparing(HttpRoute::source);

    private final CharRangeTable<RouteTable.Target> exactPaths;
    private final CharRangeTable<RouteTable.Target> prefixes;

    private PathRules(Map<String, RouteTable.Target> exactPaths, Map<String, RouteTable.Target> prefixes) {
        this.exactPaths = CharRangeTable.exact(exactPaths);
        this.prefixes = CharRangeTable.exact(prefixes);
    }

    /** The rules of one host group; each route's Target is already built. */
    static PathRules of(List<RouteTable.Target> targets) {
        Map<String, RouteTable.Target> exactPaths = new HashMap<>();
        Map<String, RouteTable.Target> prefixes = new HashMap<>();
        for (RouteTable.Target target : targets) {
            HttpRoute route = target.route();
            boolean exact = route.pathType() == HttpRoute.PathType.EXACT;
            String key = exact ? route.path() : withoutTrailingSlashes(route.path());
            (exact ? exactPaths : prefixes).merge(key, target,
                    (kept, other) -> PRECEDENCE.compare(kept.route(), other.route()) <= 0 ? kept : other);
        }
        return new PathRules(exactPaths, prefixes);
    }

    /**
     * The route for the request path {@code path[start, end)} (no query, no fragment), or null.
     * A path that does not start with '/' (asterisk-form {@code *}) matches no prefix, not even {@code /}.
     */
    RouteTable.Target match(CharSequence path, int start, int end) {
        // One pass: a prefix matches where the request path ends or has a '/' right after it ("/foo" takes
        // "/foo" and "/foo/bar", not "/foobar"), so each such boundary is looked up with the hash so far and
        // the last hit is the longest prefix. An Exact path of the whole length beats any prefix.
        RouteTable.Target longestPrefix = null;
        int hash = 0;
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            if (c == '/') {
                RouteTable.Target prefix = prefixes.get(path, start, i, hash);
                longestPrefix = prefix != null ? prefix : longestPrefix;
            }
            hash = prefixes.step(hash, c);
        }
        RouteTable.Target exact = exactPaths.get(path, start, end, hash); // both tables hash case-sensitively alike
        if (exact != null) {
            return exact;
        }
        RouteTable.Target whole = prefixes.get(path, start, end, hash);
        return whole != null ? whole : longestPrefix;
    }

    /** {@code /aaa/bbb/} matches as {@code /aaa/bbb} does, as the Ingress API says; {@code /} becomes the empty key. */
    private static String withoutTrailingSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }
}
