package dev.berth.proxy.http;

import dev.berth.proxy.http.UpstreamHttpCodec.ResponseWords;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * A response head of the common form ({@link CommonHead}) whose first line is {@code HTTP/1.1}, a final status and
 * its usual reason; a 1xx, another version or another reason is Netty's decoder's.
 */
final class CommonResponseHead extends CommonHead {
    private static final int STATUS_LINE = "HTTP/1.1 200 ".length();
    private static final byte[] VERSION = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' '};

    private HttpResponseStatus status;

    CommonResponseHead(HttpDecoderConfig limits) {
        super(ResponseWords.NAMES, 0, limits);
    }

    @Override
    boolean read(byte[] bytes, int length) {
        if (length < STATUS_LINE + 4 || !startsWith(bytes, 0, length, VERSION)) {
            return false;
        }
        status = ResponseWords.status(bytes, 9, 3);
        if (status == null || status.codeClass() == HttpStatusClass.INFORMATIONAL || bytes[12] != ' ') {
            return false;
        }
        int lineEnd = lineEnd(bytes, STATUS_LINE, length);
        return lineEnd >= 0 && firstLineFits(lineEnd) && ResponseWords.reason(status).equals(bytes, STATUS_LINE, lineEnd - STATUS_LINE)
                && readFields(bytes, lineEnd + 2, length);
    }

    @Override
    boolean mayBegin(byte[] bytes, int length) {
        return beginsAlike(bytes, length, VERSION);
    }

    HttpResponseStatus status() {
        return status;
    }
}
