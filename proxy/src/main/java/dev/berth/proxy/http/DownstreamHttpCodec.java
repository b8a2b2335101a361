package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * The HTTP/1.1 codec of a downstream connection: Netty's request decoder and response encoder, paired as Netty's
 * {@code HttpServerCodec} pairs them — the response to a HEAD has no body, a 2xx to a CONNECT loses its
 * Transfer-Encoding, and at most {@link #MAX_AWAITING} requests may wait for their responses (a client that pipelines
 * more fails the decoder, and the frontend closes the connection) — with the header names clients send taken from
 * constants instead of copied out of each request ({@link #REQUEST_NAMES}; Netty's decoder knows five). A name
 * spelled otherwise is copied as before, so what goes upstream is byte for byte what the client sent.
 *
 * <p>{@code HttpServerCodec} also closes a connection after the response to a request that had both
 * Transfer-Encoding and Content-Length, for decoders configured to strip the Content-Length (RFC 7230); Berth's
 * decoders keep Netty's default, RFC 9112's, which refuses such a request as malformed, so that case does not arise.
 */
final class DownstreamHttpCodec extends CombinedChannelDuplexHandler<DownstreamHttpCodec.RequestDecoder, DownstreamHttpCodec.ResponseEncoder>
        implements HttpServerUpgradeHandler.SourceCodec {
    /** Requests waiting for their responses, at most: {@code HttpServerCodec}'s bound on what a pipelining client may queue. */
    static final int MAX_AWAITING = 128;

    /**
     * Request header names in the spellings browsers (Chrome, Firefox, Safari), curl, Go, Java, Python and Node send
     * them. Netty's own five (Host, Accept, Connection, Content-Type, Content-Length) are among them, so one table
     * answers.
     */
    static final KnownHeaderNames REQUEST_NAMES = KnownHeaderNames.of(
            "Host", "Accept", "Connection", "Content-Type", "Content-Length", "User-Agent", "Accept-Encoding",
            "Accept-Language", "Cookie", "Referer", "Origin", "Authorization", "Cache-Control", "Pragma",
            "Upgrade-Insecure-Requests", "If-None-Match", "If-Modified-Since", "If-Range", "Range", "DNT", "Priority",
            "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-User", "Sec-Fetch-Dest", "sec-ch-ua", "sec-ch-ua-mobile",
            "sec-ch-ua-platform", "Sec-GPC", "TE", "Upgrade", "Expect", "Transfer-Encoding", "Keep-Alive",
            "Content-Encoding", "X-Requested-With", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
            "X-Forwarded-Port", "X-Real-IP", "Forwarded", "X-Request-Id", "traceparent", "tracestate",
            "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol",
            "Access-Control-Request-Method", "Access-Control-Request-Headers", "grpc-timeout",
            "host", "accept", "connection", "content-type", "content-length", "user-agent", "accept-encoding",
            "accept-language", "cookie", "referer", "origin", "authorization", "cache-control", "te", "upgrade",
            "transfer-encoding", "x-forwarded-for", "x-forwarded-proto", "x-request-id");

    private final AwaitedMethods awaited = new AwaitedMethods();

    DownstreamHttpCodec(HttpDecoderConfig config) {
        init(new RequestDecoder(config), new ResponseEncoder());
    }

    @Override
    public void upgradeFrom(ChannelHandlerContext ctx) {
        ctx.pipeline().remove(this);
    }

    /**
     * Netty's request decoder, with the usual header names as constants, and a head of the common form read in one
     * pass ({@link CommonRequestHead}) together with its fixed-length body, or its chunked body when all of that came
     * with it (a small upload of a client that streams its body: Go's and Java's clients, curl reading stdin), as
     * Netty's decoder would deliver them ({@link OnePassDecoding}); every other head is Netty's decoder's.
     */
    final class RequestDecoder extends HttpRequestDecoder {
        private final CommonRequestHead common;
        private final OnePassDecoding onePass;
        /** Too many requests waited: everything after them is dropped unread. */
        private boolean discarding;
        /** The last request head read in one pass, handed back by the frontend and free for the next; null while in use. */
        private ReadRequest spare;

        RequestDecoder(HttpDecoderConfig config) {
            super(config);
            this.common = new CommonRequestHead(config);
            this.onePass = new OnePassDecoding(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discarding) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            int before = out.size();
            if (onePass.inBody()) {
                onePass.readBody(buffer, out);
            } else if (!(onePass.mayReadHead() && readCommonHead(buffer, out))) {
                int readerIndex = buffer.readerIndex();
                super.decode(ctx, buffer, out);
                onePass.afterNetty(buffer, readerIndex, out, before);
            }
            for (int i = before; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest request && !awaited.add(request.method())) {
                    discarding = true;
                    for (int dropped = out.size() - 1; dropped >= i; dropped--) {
                        ReferenceCountUtil.release(out.remove(dropped));
                    }
                    throw new IllegalStateException("more than " + MAX_AWAITING + " pipelined requests await their responses");
                }
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
            ReadRequest reused = spare;
            common.readInto(reused == null ? null : reused.compactHeaders());
            int length = onePass.readHead(buffer, common);
            if (length < 0) {
                return length == OnePassDecoding.WAIT;
            }
            int chunkedLength = OnePassDecoding.NOT_WHOLE;
            if (common.chunked()) {
                // an upload still arriving (streamed, or larger than a read), or of an uncommon form, Netty's decoder
                // reads as it comes
                chunkedLength = OnePassDecoding.chunkedLength(buffer, buffer.readerIndex() + length);
                if (chunkedLength == OnePassDecoding.NOT_WHOLE) {
                    return false;
                }
            }
            buffer.skipBytes(length);
            reset(); // Netty's decoder may have begun on this head (skipped to its first line): it starts afresh next time
            spare = null;
            HttpRequest request = reused != null ? reused.refill(common.method(), common.target())
                    : new ReadRequest(common.method(), common.target(), common.headers());
            if (common.chunked()) {
                onePass.deliverChunked(request, chunkedLength, out);
            } else { // a request without Content-Length has no body
                onePass.deliver(request, common.contentLength() == CommonHead.NONE ? 0 : common.contentLength(), out);
            }
            return true;
        }

        /** A request head read in one pass, which the frontend hands back for the next once its exchange is over. */
        private final class ReadRequest extends DefaultHttpRequest implements Recyclable {
            ReadRequest(HttpMethod method, String target, CompactHttpHeaders headers) {
                super(HttpVersion.HTTP_1_1, method, target, headers);
            }

            CompactHttpHeaders compactHeaders() {
                return (CompactHttpHeaders) headers();
            }

            /** The next head, whose headers {@link CommonHead#readInto} filled in already. */
            ReadRequest refill(HttpMethod method, String target) {
                setProtocolVersion(HttpVersion.HTTP_1_1);
                setMethod(method);
                setUri(target);
                setDecoderResult(DecoderResult.SUCCESS);
                return this;
            }

            @Override
            public void recycle() {
                spare = this;
            }
        }

        @Override
        protected AsciiString splitHeaderName(byte[] line, int start, int length) {
            AsciiString known = REQUEST_NAMES.find(line, start, length);
            return known != null ? known : super.splitHeaderName(line, start, length);
        }
    }

    final class ResponseEncoder extends HttpResponseEncoder {
        /** The method of the request the response being written answers. */
        private HttpMethod answering;

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse response) {
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(response); // not the final response: its request waits on
            }
            answering = awaited.poll();
            return HttpMethod.HEAD.equals(answering) || super.isContentAlwaysEmpty(response);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse response, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(answering) && response.status().codeClass() == HttpStatusClass.SUCCESS) {
                response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING); // a tunnel follows, not a body (RFC 9110 §9.3.6)
                return;
            }
            super.sanitizeHeadersBeforeEncode(response, isAlwaysEmpty);
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
     * The methods of the requests still to be answered, oldest first, as far as a response's shape depends on them:
     * HEAD, CONNECT, or another. Two bits each, the oldest lowest, in one {@code long}: the usual connection (a request
     * at a time) and a pipelining one up to 32 deep allocate nothing; deeper ones, up to {@link #MAX_AWAITING}, go on
     * in three more words, made when first needed.
     */
    private static final class AwaitedMethods {
        private static final int OTHER = 1;
        private static final int HEAD = 2;
        private static final int CONNECT = 3;
        private static final int PER_WORD = Long.SIZE / 2;
        private long oldest;
        private long[] deeper; // entries 32 to 127, null until a client pipelines that deep
        private int size;

        boolean add(HttpMethod method) {
            if (size == MAX_AWAITING) {
                return false;
            }
            long code = HttpMethod.HEAD.equals(method) ? HEAD : HttpMethod.CONNECT.equals(method) ? CONNECT : OTHER;
            if (size < PER_WORD) {
                oldest |= code << (2 * size);
            } else {
                if (deeper == null) {
                    deeper = new long[MAX_AWAITING / PER_WORD - 1];
                }
                deeper[size / PER_WORD - 1] |= code << (2 * (size % PER_WORD));
            }
            size++;
            return true;
        }

        /** The oldest entry, taken out (GET standing for every method but HEAD and CONNECT); null when none waits. */
        HttpMethod poll() {
            if (size == 0) {
                return null;
            }
            int code = (int) oldest & 3;
            oldest >>>= 2;
            if (deeper != null) { // every entry moves down one place, across the words
                oldest |= (deeper[0] & 3) << (Long.SIZE - 2);
                for (int i = 0; i < deeper.length; i++) {
                    deeper[i] = (deeper[i] >>> 2) | (i + 1 < deeper.length ? (deeper[i + 1] & 3) << (Long.SIZE - 2) : 0);
                }
            }
            size--;
            return code == HEAD ? HttpMethod.HEAD : code == CONNECT ? HttpMethod.CONNECT : HttpMethod.GET;
        }
    }
}
