package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes the headers that belong to one connection, not to the message (RFC 9110 §7.6.1): Connection and every
 * header it names, Keep-Alive, Proxy-Connection, Proxy-Authenticate, Proxy-Authorization, TE, Trailer,
 * Transfer-Encoding and Upgrade. An upgrade that the proxy passes through keeps Upgrade and Connection: upgrade.
 *
 * <p>Runs on every request and every response, so it looks at the message's headers once and removes only those
 * present (usually none, or Connection alone) instead of looking each of the nine names up.
 */
final class HopByHopHeaders {
    private static final AsciiString[] NAMES = {
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE};
    private static final int CONNECTION = 0;
    private static final int UPGRADE = NAMES.length - 1;
    /** How many named headers are removed by look-up rather than by one walk. */
    private static final int FEW = 4;

    private HopByHopHeaders() {
    }

    /**
     * @param keepUpgrade whether this message passes an Upgrade through (then {@code Upgrade} and
     *     {@code Connection: upgrade} stay)
     */
    static void remove(HttpHeaders headers, boolean keepUpgrade) {
        int present = 0;
        List<String> named = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence(); entries.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> entry = entries.next();
            int index = indexIn(NAMES, entry.getKey());
            if (index >= 0) {
                present |= 1 << index;
                if (index == CONNECTION) {
                    named = addNamedBy(entry.getValue(), keepUpgrade, named);
                }
            }
        }
        if (named != null) {
            removeNamed(headers, named);
        }
        for (int index = 0; index < NAMES.length; index++) {
            if ((present & (1 << index)) != 0 && !(index == UPGRADE && keepUpgrade)) {
                headers.remove(NAMES[index]);
            }
        }
        if (keepUpgrade) {
            headers.set(HttpHeaderNames.CONNECTION, "upgrade");
        }
    }

    /**
     * Which of {@code names} this header name is, ignoring case, or -1 (a name of another length costs one comparison
     * of lengths each). Also how the frontend finds the h2 conversion's bookkeeping headers.
     */
    static int indexIn(AsciiString[] names, CharSequence name) {
        for (int index = 0; index < names.length; index++) {
            if (names[index].contentEqualsIgnoreCase(name)) {
                return index;
            }
        }
        return -1;
    }

    /**
     * Removes the headers Connection named: one look-up each for a few, one walk over the headers for more (a
     * look-up scans the headers, and a hostile head can name thousands).
     */
    private static void removeNamed(HttpHeaders headers, List<String> named) {
        if (named.size() <= FEW) {
            named.forEach(headers::remove);
            return;
        }
        Set<AsciiString> lowercase = new HashSet<>();
        named.forEach(name -> lowercase.add(AsciiString.of(name).toLowerCase()));
        for (Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence(); entries.hasNext(); ) {
            if (lowercase.contains(AsciiString.of(entries.next().getKey()).toLowerCase())) {
                entries.remove();
            }
        }
    }

    /**
     * The headers one Connection value names, token by token. Content-Length and Host are never among them: they
     * frame and route the message for every hop, and letting the client drop Content-Length would send its body up
     * unframed, to be read as a request of its own (RFC 9110 §7.6.1: such a name is an error of the sender's).
     * {@code close} and {@code keep-alive}, what nearly every request and response says, name no header to remove
     * here (Keep-Alive is one of {@link #NAMES}), so they are recognised in place instead of being cut out as strings
     * on every message.
     */
    private static List<String> addNamedBy(CharSequence value, boolean keepUpgrade, List<String> named) {
        int start = 0;
        while (start < value.length()) {
            int end = start;
            while (end < value.length() && value.charAt(end) != ',') {
                end++;
            }
            int from = start;
            int to = end;
            while (from < to && Character.isWhitespace(value.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(value.charAt(to - 1))) {
                to--;
            }
            if (from < to && !isToken(value, from, to, "close") && !isToken(value, from, to, "keep-alive")
                    && !isToken(value, from, to, "content-length") && !isToken(value, from, to, "host")
                    && !(keepUpgrade && isToken(value, from, to, "upgrade"))) {
                if (named == null) {
                    named = new ArrayList<>(2);
                }
                named.add(value.subSequence(from, to).toString());
            }
            start = end + 1;
        }
        return named;
    }

    private static boolean isToken(CharSequence value, int from, int to, String token) {
        if (to - from != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (Character.toLowerCase(value.charAt(from + i)) != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
