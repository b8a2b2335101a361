package dev.berth.proxy.config;

import java.util.Objects;

/**
 * One path of one Ingress rule: which requests it takes and which backend serves them.
 *
 * @param host {@code ""} for any host, an exact lower-case name, or {@code *.example.com} (exactly one more label)
 * @param pathType how {@code path} matches; Kubernetes' ImplementationSpecific arrives here as PREFIX
 * @param path an absolute path ({@code /} for everything under PREFIX)
 * @param backend the {@link Backend#name()} serving it
 * @param source where the route came from, for logs and conflicts, e.g. {@code Ingress shop/web rules[0].paths[1]}
 * @param rank tie-break between equal routes of different Ingresses: lower wins (oldest Ingress first)
 * @param httpsRedirect a request for it over cleartext HTTP is answered with a permanent redirect to HTTPS instead
 */
public record HttpRoute(String host, PathType pathType, String path, String backend, String source, long rank, boolean httpsRedirect) {

    public enum PathType { EXACT, PREFIX }

    /** Served over cleartext HTTP too. */
    public HttpRoute(String host, PathType pathType, String path, String backend, String source, long rank) {
        this(host, pathType, path, backend, source, rank, false);
    }

    public HttpRoute {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pathType, "pathType");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(source, "source");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: an absolute path)");
        }
    }
}
