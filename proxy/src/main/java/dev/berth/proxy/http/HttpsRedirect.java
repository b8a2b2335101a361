package dev.berth.proxy.http;

import dev.berth.proxy.route.RequestParts;

/**
 * Where a cleartext request for a route that wants HTTPS is sent: the same host and target on the standard HTTPS port.
 * ACME HTTP-01 challenges ({@code /.well-known/acme-challenge/…}) are never redirected, so that a certificate
 * authority can reach the token cert-manager (or another ACME client) serves over HTTP, as ingress-nginx lets it.
 */
final class HttpsRedirect {
    private static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";

    private HttpsRedirect() {
    }

    static boolean isAcmeChallenge(String uri) {
        return uri.startsWith(ACME_CHALLENGE);
    }

    /**
     * {@code https://} + the host of the Host header as the route table reads it (no port; an IPv6 literal keeps its
     * brackets) + the request target. An absolute-form target ({@code http://host/path}) keeps only its path and query.
     */
    static String location(String hostHeader, String uri) {
        String host = hostHeader == null ? "" : hostHeader.substring(0, RequestParts.hostEnd(hostHeader));
        int path = RequestParts.pathStart(uri);
        return "https://" + host + (path < uri.length() ? uri.substring(path) : "/");
    }
}
