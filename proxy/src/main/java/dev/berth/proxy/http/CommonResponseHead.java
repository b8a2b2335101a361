package dev.berth.proxy.http;

import dev.berth.proxy.http.UpstreamHttpCodec.ResponseWords;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.AsciiString;

/**
 * A response head of the common form, read in one pass: {@code HTTP/1.1}, a final status with its usual reason, then
 * header lines of a token name, a colon, optional blanks and a value of printable ASCII, each ended by CRLF, with at
 * most one Content-Length (digits) and no Transfer-Encoding. That is what NGINX, Apache, Envoy and the usual
 * application servers send. Anything else — a 1xx, another version or reason, a folded line, a bare CR or LF, a blank
 * before a colon, a control or non-ASCII byte, two Content-Lengths, a chunked body — is not read here, nor (the
 * decoder's choice) a head longer than its limits or a body that ends with the connection; Netty's decoder takes
 * those with all of its checks: what this reads,
 * Netty's decoder reads the same way (UpstreamHttpCodecTest compares the two on generated responses), and nothing Netty
 * would refuse gets through.
 *
 * <p>A connection's responses usually repeat most values (Server, Content-Type, Accept-Ranges, a file's Content-Length
 * and ETag); a value equal to the one at the same place of the connection's previous head is that same
 * {@code String}, not a new copy.
 */
final class CommonResponseHead {
    /** The head's Content-Length when it has none. */
    static final long NONE = -1;
    private static final int REMEMBERED = 16; // values remembered by place
    private static final int STATUS_LINE = "HTTP/1.1 200 ".length();

    private final String[] lastValues = new String[REMEMBERED];
    private HttpResponseStatus status;
    private CompactHttpHeaders headers;
    private long contentLength;

    /**
     * Reads the head in {@code bytes[0, length)}, which ends with the blank line's CRLF; true if it is of the common
     * form, and then {@link #status()}, {@link #headers()} and {@link #contentLength()} describe it.
     */
    boolean read(byte[] bytes, int length) {
        if (length < STATUS_LINE + 4 || !startsWithVersion(bytes)) {
            return false;
        }
        status = ResponseWords.status(bytes, 9, 3);
        if (status == null || status.codeClass() == HttpStatusClass.INFORMATIONAL || bytes[12] != ' ') {
            return false;
        }
        int lineEnd = lineEnd(bytes, STATUS_LINE, length);
        if (lineEnd < 0 || !ResponseWords.reason(status).equals(bytes, STATUS_LINE, lineEnd - STATUS_LINE)) {
            return false;
        }
        headers = CompactHttpHeaders.forHead();
        contentLength = NONE;
        int place = 0;
        for (int line = lineEnd + 2; line < length - 2; line = lineEnd + 2, place++) {
            lineEnd = lineEnd(bytes, line, length);
            if (lineEnd < 0 || !readField(bytes, line, lineEnd, place)) {
                return false;
            }
        }
        return true;
    }

    HttpResponseStatus status() {
        return status;
    }

    /** The head's headers; read once per head (the next {@link #read} starts new ones). */
    CompactHttpHeaders headers() {
        return headers;
    }

    /** Its Content-Length, or {@link #NONE}. */
    long contentLength() {
        return contentLength;
    }

    private boolean readField(byte[] bytes, int start, int end, int place) {
        int colon = start;
        while (colon < end && isTokenByte(bytes[colon])) {
            colon++;
        }
        if (colon == start || colon == end || bytes[colon] != ':') {
            return false;
        }
        int valueStart = colon + 1;
        while (valueStart < end && isBlank(bytes[valueStart])) {
            valueStart++;
        }
        int valueEnd = end;
        while (valueEnd > valueStart && isBlank(bytes[valueEnd - 1])) {
            valueEnd--;
        }
        for (int i = valueStart; i < valueEnd; i++) {
            if (!isValueByte(bytes[i])) {
                return false;
            }
        }
        AsciiString name = ResponseWords.NAMES.find(bytes, start, colon - start);
        if (name == null) {
            name = new AsciiString(bytes, start, colon - start, true);
        }
        if (name.contentEqualsIgnoreCase("transfer-encoding")) {
            return false;
        }
        if (name.contentEqualsIgnoreCase("content-length") && !readContentLength(bytes, valueStart, valueEnd)) {
            return false;
        }
        headers.add(name, value(bytes, valueStart, valueEnd, place));
        return true;
    }

    /** The first Content-Length, of 1 to 18 digits; a second one, or another form, is Netty's to judge. */
    private boolean readContentLength(byte[] bytes, int start, int end) {
        if (contentLength != NONE || start == end || end - start > 18) {
            return false;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return false;
            }
            value = 10 * value + bytes[i] - '0';
        }
        contentLength = value;
        return true;
    }

    /** The value as a String: the one at this place of the previous head if it is the same text. */
    private String value(byte[] bytes, int start, int end, int place) {
        String last = place < REMEMBERED ? lastValues[place] : null;
        if (last != null && sameText(last, bytes, start, end)) {
            return last;
        }
        @SuppressWarnings("deprecation") // the Latin-1 constructor: one copy, no decoding (what Netty's decoder uses)
        String value = new String(bytes, 0, start, end - start);
        if (place < REMEMBERED) {
            lastValues[place] = value;
        }
        return value;
    }

    private static boolean sameText(String text, byte[] bytes, int start, int end) {
        if (text.length() != end - start) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithVersion(byte[] bytes) {
        return bytes[0] == 'H' && bytes[1] == 'T' && bytes[2] == 'T' && bytes[3] == 'P' && bytes[4] == '/'
                && bytes[5] == '1' && bytes[6] == '.' && bytes[7] == '1' && bytes[8] == ' ';
    }

    /** Where the line from {@code start} ends (its CR), or -1 if a CR or LF stands alone or no CRLF follows. */
    private static int lineEnd(byte[] bytes, int start, int length) {
        for (int i = start; i < length; i++) {
            if (bytes[i] == '\r') {
                return i + 1 < length && bytes[i + 1] == '\n' ? i : -1;
            }
            if (bytes[i] == '\n') {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Printable ASCII, a space or a tab: no control byte, no obs-text. */
    private static boolean isValueByte(byte b) {
        return b >= ' ' && b < 0x7f || b == '\t';
    }

    /** RFC 9110's tchar. */
    private static boolean isTokenByte(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                || b == '!' || b == '#' || b == '$' || b == '%' || b == '&' || b == '\'' || b == '*' || b == '+'
                || b == '-' || b == '.' || b == '^' || b == '_' || b == '`' || b == '|' || b == '~';
    }
}
