package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.AsciiString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A message head of the common form, read in one pass from a copy of its bytes (whole, up to its blank line): after
 * the first line, header lines of a token name, a colon, optional blanks and a value of printable ASCII, each ended by
 * CRLF, with at most one Content-Length (digits) or at most one {@code Transfer-Encoding: chunked} instead (its body
 * then is the decoder's to read, {@link OnePassDecoding}), and no other Transfer-Encoding. That is what browsers,
 * curl, the usual client libraries, NGINX, Apache, Envoy and the usual application servers send. Anything else — a
 * folded line, a bare CR or LF, a blank before a colon, a control or non-ASCII byte, two Content-Lengths, another
 * transfer coding, chunked with a Content-Length, a Hixie-76 WebSocket key (whose body length Netty infers) — is not
 * read here, and Netty's decoder takes the message with all of its checks: what this reads, Netty's decoder reads
 * the same way (CommonHeadTest compares the two on generated messages), and nothing Netty would refuse gets through.
 * The first line is the subclass's.
 *
 * <p>A connection's messages usually repeat most values (a client's Host, User-Agent, Accept, Cookie; a server's
 * Server, Content-Type, a file's Content-Length and ETag): a value equal to the one at the same place of the
 * connection's previous head is that same {@code String}, not a new copy.
 */
abstract sealed class CommonHead permits CommonRequestHead, CommonResponseHead {
    /** The head's Content-Length when it has none. */
    static final long NONE = -1;
    /** Values remembered by place; the one after them is the first line's (a request's target). */
    private static final int REMEMBERED = 16;

    /**
     * What each byte may be on a header line of a common head, so that one pass finds the line's end and refuses what
     * no common head holds: a byte of a value (printable ASCII, a space, a tab), the CR that ends the line, or
     * anything else (another control byte, DEL, obs-text, an LF that no CR comes before).
     */
    private static final byte VALUE_BYTE = 0;
    private static final byte LINE_END = 1;
    private static final byte UNCOMMON = 2;
    private static final byte[] BYTE_KINDS = new byte[256];
    /** RFC 9110's tchar, by byte. */
    private static final boolean[] TOKEN_BYTES = new boolean[256];
    /** Names that make a head not common, or that it reads: lowercase, as {@link #isNamed} compares them. */
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBSOCKET_KEY_1 = "sec-websocket-key1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBSOCKET_KEY_2 = "sec-websocket-key2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
    /** Eight bytes of a head at a time, for {@link #lineEnd}. */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EACH_BYTE = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    static {
        for (int b = 0; b < 256; b++) {
            BYTE_KINDS[b] = b >= ' ' && b < 0x7f || b == '\t' ? VALUE_BYTE : b == '\r' ? LINE_END : UNCOMMON;
            TOKEN_BYTES[b] = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
        }
    }

    private final KnownHeaderNames names;
    /** The decoder's limits: a first line's length, and the header lines' together (CRLFs not counted, as Netty counts). */
    private final int maxFirstLine;
    private final int maxFields;
    /** Headers the proxy adds to such a head on its way (a request's X-Forwarded-*), made room for at once. */
    private final int added;
    private final String[] lastValues = new String[REMEMBERED + 1];
    /** The previous head's header lines, as many as the next head likely has (0 before the first). */
    private int lastFieldLines;
    private CompactHttpHeaders headers;
    /** The headers of a recycled message the next head is read into, or null for new ones. */
    private CompactHttpHeaders reusable;
    private long contentLength;
    private boolean chunked;

    CommonHead(KnownHeaderNames names, int added, HttpDecoderConfig limits) {
        this.names = names;
        this.added = added;
        this.maxFirstLine = limits.getMaxInitialLineLength();
        this.maxFields = limits.getMaxHeaderSize();
    }

    /** A first line of this length is within the decoder's limit (a longer one is Netty's to refuse). */
    final boolean firstLineFits(int length) {
        return length <= maxFirstLine;
    }

    /** The head's headers; read once per head (the next read starts new ones, or refills {@link #readInto}'s). */
    final CompactHttpHeaders headers() {
        return headers;
    }

    /** The next head's headers go into these, a recycled message's (emptied first); null for new ones. */
    final void readInto(CompactHttpHeaders recycled) {
        reusable = recycled;
    }

    /** Its Content-Length, or {@link #NONE}. */
    final long contentLength() {
        return contentLength;
    }

    /** Whether it says {@code Transfer-Encoding: chunked} (then it has no Content-Length). */
    final boolean chunked() {
        return chunked;
    }

    /** Reads the header lines from {@code start} to the blank line that ends {@code bytes[0, length)}; false if one is not common. */
    final boolean readFields(byte[] bytes, int start, int length) {
        int expectedLines = lastFieldLines > 0 ? lastFieldLines : fieldLines(bytes, start, length);
        int capacity = expectedLines + added; // a head with more lines than the last grows them
        headers = reusable != null ? reusable.emptiedForHead(capacity) : CompactHttpHeaders.forHead(capacity);
        contentLength = NONE;
        chunked = false;
        int place = 0;
        int fieldBytes = 0;
        for (int line = start; line < length - 2; place++) {
            int end = lineEnd(bytes, line, length);
            fieldBytes += end - line;
            if (end < 0 || fieldBytes > maxFields || !readField(bytes, line, end, place)) {
                return false;
            }
            line = end + 2;
        }
        lastFieldLines = place;
        return !(chunked && contentLength != NONE); // both: Netty's decoder drops the Content-Length, as RFC 9112 says
    }

    /** How many lines from {@code start} to the blank line that ends {@code bytes[0, length)}. */
    private static int fieldLines(byte[] bytes, int start, int length) {
        int lines = 0;
        for (int i = start; i < length - 2; i++) {
            if (bytes[i] == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /** The first line's text from {@code start} to {@code end} (a request's target), the previous head's if the same. */
    final String firstLineText(byte[] bytes, int start, int end) {
        return value(bytes, start, end, REMEMBERED);
    }

    private boolean readField(byte[] bytes, int start, int end, int place) {
        int colon = start;
        while (colon < end && TOKEN_BYTES[bytes[colon] & 0xff]) {
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
        int nameLength = colon - start;
        if (isNamed(bytes, start, nameLength, TRANSFER_ENCODING)) {
            if (chunked || !isNamed(bytes, valueStart, valueEnd - valueStart, CHUNKED)) {
                return false; // another coding, or a second Transfer-Encoding: Netty's decoder works the body out
            }
            chunked = true;
        } else if (isNamed(bytes, start, nameLength, WEBSOCKET_KEY_1) || isNamed(bytes, start, nameLength, WEBSOCKET_KEY_2)) {
            return false; // a body whose length Netty's decoder works out
        }
        if (isNamed(bytes, start, nameLength, CONTENT_LENGTH) && !readContentLength(bytes, valueStart, valueEnd)) {
            return false;
        }
        AsciiString name = names.find(bytes, start, nameLength);
        if (name == null) {
            name = new AsciiString(bytes, start, nameLength, true);
        }
        headers.addChecked(name, value(bytes, valueStart, valueEnd, Math.min(place, REMEMBERED - 1)));
        return true;
    }

    /**
     * Whether {@code bytes[start, start + length)} is {@code lowercaseName} in any case, for a name of letters and
     * hyphens (no printable byte but a capital is a lowercase letter's with its 0x20 bit set, nor another a hyphen's).
     */
    private static boolean isNamed(byte[] bytes, int start, int length, byte[] lowercaseName) {
        if (length != lowercaseName.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((bytes[start + i] | 0x20) != lowercaseName[i]) {
                return false;
            }
        }
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

    /** The text as a String: the one remembered at this place if it is the same text, else a new one remembered there. */
    private String value(byte[] bytes, int start, int end, int place) {
        String last = lastValues[place];
        if (last != null && sameText(last, bytes, start, end)) {
            return last;
        }
        @SuppressWarnings("deprecation") // the Latin-1 constructor: one copy, no decoding (what Netty's decoder uses)
        String value = new String(bytes, 0, start, end - start);
        lastValues[place] = value;
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

    /**
     * Reads the head in {@code bytes[0, length)}, which ends with the blank line's CRLF; true if it is of the common
     * form, and then the subclass's accessors, {@link #headers()} and {@link #contentLength()} describe it.
     */
    abstract boolean read(byte[] bytes, int length);

    /**
     * Whether the first {@code length} bytes of a head, not all of it yet, may begin a head of the common form: then
     * the decoder waits for the rest rather than hand the head to Netty's.
     */
    abstract boolean mayBegin(byte[] bytes, int length);

    /** Whether {@code bytes[0, length)} is a beginning of {@code word}, or {@code word} a beginning of them. */
    static boolean beginsAlike(byte[] bytes, int length, byte[] word) {
        for (int i = 0; i < Math.min(length, word.length); i++) {
            if (bytes[i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code bytes} hold {@code word} at {@code start}. */
    static boolean startsWith(byte[] bytes, int start, int length, byte[] word) {
        if (length - start < word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (bytes[start + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the line from {@code start} ends (its CR), or -1 if no CRLF follows or a byte before it is not one of a
     * common head's (a control byte but a tab, DEL, obs-text, a CR or LF alone).
     */
    static int lineEnd(byte[] bytes, int start, int length) {
        int i = start;
        while (i < length) {
            for (long unusual; i + Long.BYTES <= length; i += Long.BYTES) { // eight at a time while none stands out
                unusual = unusualBytes((long) WORDS.get(bytes, i));
                if (unusual != 0) {
                    i += Long.numberOfTrailingZeros(unusual) >>> 3;
                    break;
                }
            }
            if (i < length) {
                byte kind = BYTE_KINDS[bytes[i] & 0xff];
                if (kind != VALUE_BYTE) {
                    return kind == LINE_END && i + 1 < length && bytes[i + 1] == '\n' ? i : -1;
                }
                i++; // a tab, or one of the last bytes, fewer than eight
            }
        }
        return -1;
    }

    /**
     * The high bit of each byte of {@code word} (little-endian) that is not printable ASCII or a space: a control byte,
     * DEL or obs-text. Exact for the first such byte; a byte after it may be marked though it is not.
     */
    private static long unusualBytes(long word) {
        long belowSpace = (word - 0x2020202020202020L) & ~word;
        long notDel = word ^ 0x7f7f7f7f7f7f7f7fL;
        long del = (notDel - EACH_BYTE) & ~notDel;
        return (word | belowSpace | del) & HIGH_BITS;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }
}
