package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * The HTTP/1.1 codec of an upstream connection: Netty's response decoder and request encoder, paired as Netty's
 * {@code HttpClientCodec} pairs them (the response to a HEAD has no body; a 200 to a CONNECT has none either and
 * leaves the connection's further bytes undecoded), with the words every response head repeats — {@code HTTP/1.1}, the
 * status code and its usual reason, the common header names in their usual spelling — taken from constants instead of
 * copied out of each response. A word spelled otherwise (another case, another reason) is copied as before, so what
 * goes downstream is byte for byte what the backend sent.
 */
final class UpstreamHttpCodec extends CombinedChannelDuplexHandler<UpstreamHttpCodec.ResponseDecoder, HttpRequestEncoder> {
    /** The methods of the requests sent, in order, for the responses still to come. */
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
    /** A CONNECT succeeded: what follows is not HTTP and goes on as it came. */
    private boolean tunnelled;

    UpstreamHttpCodec(HttpDecoderConfig config) {
        init(new ResponseDecoder(config), new RequestEncoder());
    }

    private final class RequestEncoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
            }
            super.encode(ctx, msg, out);
        }

        /**
         * The request line as Netty's encoder writes it, but an origin-form target ({@code /p?q}, what clients send a
         * reverse proxy) written one byte per char, as the decoders read it: Netty's and the one-pass readers take
         * each byte of a target as one char, and so does an h2 {@code :path} ({@code AsciiString}), so a target a
         * client sent with raw UTF-8 goes up as it came, where Netty's encoder writes its chars as UTF-8 again (and
         * takes a new NIO buffer of the output for it each time). Other forms are Netty's.
         */
        @Override
        protected void encodeInitialLine(ByteBuf buf, HttpRequest request) throws Exception {
            String target = request.uri();
            if (target.isEmpty() || target.charAt(0) != '/') {
                super.encodeInitialLine(buf, request);
                return;
            }
            ByteBufUtil.copy(request.method().asciiName(), buf);
            buf.writeByte(' ');
            buf.writeCharSequence(target, StandardCharsets.ISO_8859_1);
            buf.writeByte(' ');
            buf.writeCharSequence(request.protocolVersion().text(), StandardCharsets.US_ASCII);
            buf.writeShort('\r' << 8 | '\n');
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            if (headers instanceof CompactHttpHeaders compact) {
                compact.encode(buf);
            } else {
                super.encodeHeaders(headers, buf);
            }
        }
    }

    /**
     * Netty's response decoder, with the usual words as constants, and a head of the common form read in one pass
     * ({@link CommonResponseHead}) together with its fixed-length body, or its chunked body when all of that came with
     * it, as Netty's decoder would deliver them ({@link OnePassDecoding}); every other head is Netty's decoder's.
     */
    final class ResponseDecoder extends HttpResponseDecoder {
        private final CommonResponseHead common;
        private final OnePassDecoding onePass;
        /** The status the line being decoded has, known once its code is read; null for an unusual code. */
        private HttpResponseStatus status;
        /** The last response head read in one pass, handed back by the frontend and free for the next; null while in use. */
        private ReadResponse spare;

        ResponseDecoder(HttpDecoderConfig config) {
            super(config);
            this.common = new CommonResponseHead(config);
            this.onePass = new OnePassDecoding(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (tunnelled) {
                int readable = actualReadableBytes();
                if (readable > 0) {
                    out.add(buffer.readBytes(readable));
                }
                return;
            }
            if (onePass.inBody()) {
                onePass.readBody(buffer, out);
            } else if (!(onePass.mayReadHead() && readCommonHead(buffer, out))) {
                int readerIndex = buffer.readerIndex();
                int before = out.size();
                super.decode(ctx, buffer, out);
                onePass.afterNetty(buffer, readerIndex, out, before);
            }
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            onePass.connectionEnding();
            super.decodeLast(ctx, in, out);
            onePass.connectionEnded();
        }

        /**
         * A head of the common form, whole in the buffer, and what of its body is there; or, when the head is not whole
         * yet but begins like one, nothing for now. False to leave the head to Netty's decoder.
         */
        private boolean readCommonHead(ByteBuf buffer, List<Object> out) {
            HttpMethod method = methods.peek();
            if (HttpMethod.CONNECT.equals(method)) {
                return false;
            }
            ReadResponse reused = spare;
            common.readInto(reused == null ? null : reused.compactHeaders());
            int length = onePass.readHead(buffer, common);
            if (length < 0) {
                return length == OnePassDecoding.WAIT;
            }
            int code = common.status().code();
            boolean bodiless = HttpMethod.HEAD.equals(method) || code == 204 || code == 304;
            int chunkedLength = OnePassDecoding.NOT_WHOLE;
            if (common.chunked()) {
                // Netty's decoder drops the Transfer-Encoding of a response without a body; a chunked body still
                // arriving (streamed), or of an uncommon form, it reads as it comes
                chunkedLength = bodiless ? OnePassDecoding.NOT_WHOLE : OnePassDecoding.chunkedLength(buffer, buffer.readerIndex() + length);
                if (chunkedLength == OnePassDecoding.NOT_WHOLE) {
                    return false;
                }
            } else if (!bodiless && common.contentLength() == CommonHead.NONE) {
                return false; // a body to the connection's end: Netty's decoder knows how it ends
            }
            buffer.skipBytes(length);
            methods.poll();
            reset(); // Netty's decoder may have begun on this head (skipped to its first line): it starts afresh next time
            spare = null;
            HttpResponse response = reused != null ? reused.refill(common.status()) : new ReadResponse(common.status(), common.headers());
            if (common.chunked()) {
                onePass.deliverChunked(response, chunkedLength, out);
            } else {
                onePass.deliver(response, bodiless ? 0 : common.contentLength(), out);
            }
            return true;
        }

        /** A response head read in one pass, which the frontend hands back for the next once it has gone downstream. */
        private final class ReadResponse extends DefaultHttpResponse implements Recyclable {
            ReadResponse(HttpResponseStatus status, CompactHttpHeaders headers) {
                super(HttpVersion.HTTP_1_1, status, headers);
            }

            CompactHttpHeaders compactHeaders() {
                return (CompactHttpHeaders) headers();
            }

            /** The next head, whose headers {@link CommonHead#readInto} filled in already. */
            ReadResponse refill(HttpResponseStatus status) {
                setProtocolVersion(HttpVersion.HTTP_1_1);
                setStatus(status);
                setDecoderResult(DecoderResult.SUCCESS);
                return this;
            }

            @Override
            public void recycle() {
                spare = this;
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            HttpResponseStatus responseStatus = ((HttpResponse) msg).status();
            if (responseStatus.codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // not the final response: its request's method waits
            }
            HttpMethod method = methods.poll(); // null if the backend answered more than it was asked
            if (HttpMethod.HEAD.equals(method)) {
                return true;
            }
            if (HttpMethod.CONNECT.equals(method) && responseStatus.code() == 200) {
                tunnelled = true;
                methods.clear();
                return true;
            }
            return super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected String splitFirstWordInitialLine(byte[] line, int start, int length) {
            return ResponseWords.HTTP_1_1.equals(line, start, length) ? ResponseWords.HTTP_1_1.text
                    : super.splitFirstWordInitialLine(line, start, length);
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] line, int start, int length) {
            status = ResponseWords.status(line, start, length);
            return status != null ? ResponseWords.codeText(status) : super.splitSecondWordInitialLine(line, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] line, int start, int length) {
            ResponseWords.Word reason = status == null ? null : ResponseWords.reason(status);
            return reason != null && reason.equals(line, start, length) ? reason.text
                    : super.splitThirdWordInitialLine(line, start, length);
        }

        @Override
        protected AsciiString splitHeaderName(byte[] line, int start, int length) {
            AsciiString known = ResponseWords.NAMES.find(line, start, length);
            return known != null ? known : super.splitHeaderName(line, start, length);
        }
    }

    /** The words of response heads kept as constants, each with its bytes to compare against. */
    static final class ResponseWords {
        private static final Word HTTP_1_1 = new Word("HTTP/1.1");
        private static final int FIRST_CODE = 100;
        private static final HttpResponseStatus[] STATUSES = new HttpResponseStatus[500];
        private static final Word[] REASONS = new Word[500];
        /** Header names in the spellings servers send them (NGINX, Apache, Envoy, Go, Node, Kestrel…). */
        static final KnownHeaderNames NAMES = KnownHeaderNames.of(
                "Server", "Date", "Content-Type", "Content-Length", "Last-Modified", "Connection", "ETag", "Etag",
                "Accept-Ranges", "Cache-Control", "Vary", "Content-Encoding", "Transfer-Encoding", "Keep-Alive",
                "Expires", "Location", "Set-Cookie", "Age", "Pragma", "Content-Language", "Content-Disposition",
                "Access-Control-Allow-Origin", "X-Content-Type-Options", "X-Frame-Options", "Strict-Transport-Security",
                "Content-Security-Policy", "Referrer-Policy", "X-Request-Id", "X-Powered-By", "Alt-Svc", "Link",
                "WWW-Authenticate", "Retry-After", "Upgrade", "Sec-WebSocket-Accept", "Trailer", "Via",
                "content-type", "content-length", "date", "server", "connection", "vary", "cache-control",
                "transfer-encoding", "last-modified", "etag", "location", "set-cookie");

        static {
            for (int code = FIRST_CODE; code < FIRST_CODE + STATUSES.length; code++) {
                HttpResponseStatus status = HttpResponseStatus.valueOf(code);
                STATUSES[code - FIRST_CODE] = status;
                REASONS[code - FIRST_CODE] = new Word(status.reasonPhrase());
            }
        }

        private ResponseWords() {
        }

        /** The status of a three-digit code, or null for anything else. */
        static HttpResponseStatus status(byte[] line, int start, int length) {
            if (length != 3) {
                return null;
            }
            int code = 0;
            for (int i = start; i < start + 3; i++) {
                if (line[i] < '0' || line[i] > '9') {
                    return null;
                }
                code = 10 * code + line[i] - '0';
            }
            return code < FIRST_CODE || code >= FIRST_CODE + STATUSES.length ? null : STATUSES[code - FIRST_CODE];
        }

        /** The code as text: the status's own, which {@code AsciiString} turns into a {@code String} once and keeps. */
        static String codeText(HttpResponseStatus status) {
            return status.codeAsText().toString();
        }

        /** The status's usual reason, which {@code HttpResponseStatus.valueOf(code, reason)} answers with the constant. */
        static Word reason(HttpResponseStatus status) {
            return REASONS[status.code() - FIRST_CODE];
        }

        /** A constant word and its ASCII bytes. */
        static final class Word {
            final String text;
            private final byte[] bytes;

            Word(String text) {
                this.text = text;
                this.bytes = text.getBytes(StandardCharsets.US_ASCII);
            }

            boolean equals(byte[] line, int start, int length) {
                return length == bytes.length && Arrays.equals(bytes, 0, length, line, start, start + length);
            }
        }
    }
}
