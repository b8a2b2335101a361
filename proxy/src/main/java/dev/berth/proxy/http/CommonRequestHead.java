package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;

/**
 * A request head of the common form ({@link CommonHead}) whose first line is one of the usual methods, one space, a
 * target of printable ASCII, one space and {@code HTTP/1.1}. CONNECT, TRACE, another method, another version, any
 * other spacing or byte in the line is Netty's decoder's.
 */
final class CommonRequestHead extends CommonHead {
    private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.POST, HttpMethod.HEAD, HttpMethod.PUT,
        HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH};
    private static final byte[][] METHOD_WORDS = new byte[METHODS.length][];
    private static final byte[] VERSION = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_WORDS[i] = (METHODS[i].name() + " ").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private HttpMethod method;
    private String target;

    CommonRequestHead(HttpDecoderConfig limits) {
        super(DownstreamHttpCodec.REQUEST_NAMES, ForwardedHeaders.ADDED, limits);
    }

    @Override
    boolean read(byte[] bytes, int length) {
        method = null;
        int targetStart = 0;
        for (int i = 0; i < METHODS.length && method == null; i++) {
            if (startsWith(bytes, 0, length, METHOD_WORDS[i])) {
                method = METHODS[i];
                targetStart = METHOD_WORDS[i].length;
            }
        }
        if (method == null) {
            return false;
        }
        int targetEnd = targetStart;
        while (targetEnd < length && bytes[targetEnd] > ' ' && bytes[targetEnd] < 0x7f) {
            targetEnd++;
        }
        if (targetEnd == targetStart || !startsWith(bytes, targetEnd, length, VERSION)
                || !firstLineFits(targetEnd + VERSION.length - 2)) {
            return false;
        }
        target = firstLineText(bytes, targetStart, targetEnd);
        return readFields(bytes, targetEnd + VERSION.length, length);
    }

    @Override
    boolean mayBegin(byte[] bytes, int length) {
        for (byte[] word : METHOD_WORDS) {
            if (beginsAlike(bytes, length, word)) {
                return true;
            }
        }
        return false;
    }

    HttpMethod method() {
        return method;
    }

    /** The request target (the URI), the previous request's String if the same. */
    String target() {
        return target;
    }
}
