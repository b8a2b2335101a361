package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Removes the headers that belong to one connection, not to the message (RFC 9110 §7.6.1): Connection and every
 * header it names, Keep-Alive, Proxy-Connection, Proxy-Authenticate, Proxy-Authorization, TE, Trailer,
 * Transfer-Encoding and Upgrade. An upgrade that the proxy passes through keeps Upgrade and Connection: upgrade.
 */
final class HopByHopHeaders {
    private static final CharSequence[] ALWAYS = {
            HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.TRANSFER_ENCODING};

    private HopByHopHeaders() {
    }

    /**
     * @param keepUpgrade whether this message passes an Upgrade through (then {@code Upgrade} and
     *     {@code Connection: upgrade} stay)
     */
    static void remove(HttpHeaders headers, boolean keepUpgrade) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                removeNamedBy(headers, value, keepUpgrade);
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        for (CharSequence name : ALWAYS) {
            headers.remove(name);
        }
        if (keepUpgrade) {
            headers.set(HttpHeaderNames.CONNECTION, "upgrade");
        } else {
            headers.remove(HttpHeaderNames.UPGRADE);
        }
    }

    /**
     * Removes the headers one Connection value names, token by token. {@code close} and {@code keep-alive}, what
     * nearly every request and response says, name no header to remove here (Keep-Alive goes with {@link #ALWAYS}),
     * so they are recognised in place instead of being cut out as strings on every message.
     */
    private static void removeNamedBy(HttpHeaders headers, String value, boolean keepUpgrade) {
        int start = 0;
        while (start < value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int from = start;
            int to = end;
            while (from < to && Character.isWhitespace(value.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(value.charAt(to - 1))) {
                to--;
            }
            if (from < to && !isToken(value, from, to, "close") && !isToken(value, from, to, "keep-alive")
                    && !(keepUpgrade && isToken(value, from, to, "upgrade"))) {
                headers.remove(value.substring(from, to));
            }
            start = end + 1;
        }
    }

    private static boolean isToken(String value, int from, int to, String token) {
        return to - from == token.length() && value.regionMatches(true, from, token, 0, token.length());
    }
}
