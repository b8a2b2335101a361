package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Removes the headers that belong to one connection, not to the message (RFC 9110 §7.6.1): Connection and every
 * header it names, Keep-Alive, Proxy-Connection, Proxy-Authenticate, Proxy-Authorization, TE, Trailer,
 * Transfer-Encoding and Upgrade. An upgrade that the proxy passes through keeps Upgrade and Connection: upgrade.
 */
final class HopByHopHeaders {
    private static final List<CharSequence> ALWAYS = List.of(
            HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.TRANSFER_ENCODING);

    private HopByHopHeaders() {
    }

    /**
     * @param keepUpgrade whether this message passes an Upgrade through (then {@code Upgrade} and
     *     {@code Connection: upgrade} stay)
     */
    static void remove(HttpHeaders headers, boolean keepUpgrade) {
        List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
        for (String value : connection) {
            for (String token : value.split(",")) {
                String name = token.strip();
                if (!name.isEmpty() && !(keepUpgrade && name.equalsIgnoreCase("upgrade"))) {
                    headers.remove(name);
                }
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
}
