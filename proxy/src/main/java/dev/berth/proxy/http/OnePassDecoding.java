package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;

/**
 * Who reads a connection's next bytes, a decoder's one-pass reader of common heads ({@link CommonHead}) or Netty's
 * decoder beneath it, and the bodies of the heads read in one pass, delivered as Netty's decoder delivers them: a
 * fixed-length body in pieces of at most its chunk size, the last a {@code LastHttpContent}; a chunked body, which is
 * read here only when all of it has arrived with its head and is of the common form ({@link #chunkedLength}), in
 * pieces of each chunk, then an empty {@code LastHttpContent}. One per decoder: a head is read in one
 * pass only where Netty's decoder is between messages too, and never again once Netty's decoder has met a malformed
 * message or a protocol switch (it then keeps the connection to the end). A head read in one pass carries
 * {@code DecoderResult.SUCCESS}, not Netty's {@code HttpMessageDecoderResult} with the head's sizes, which nothing in
 * Berth reads.
 */
final class OnePassDecoding {
    /** The longest head read in one pass: within both of Netty's limits (initial line, headers). */
    static final int MAX_HEAD = 8192;
    /** Enough of a head's beginning to tell whether it may be common. */
    private static final int FIRST_BYTES = 16;
    private static final FastThreadLocal<byte[]> HEAD_BYTES = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX_HEAD];
        }
    };

    private final int maxChunkSize;
    /**
     * The most of an incomplete head waited for: within both of Netty's limits, so that Netty's decoder, had it had
     * the bytes, would not have refused them yet either.
     */
    private final int longestWait;
    /** The next bytes start a message, and Netty's decoder is between messages too. */
    private boolean atStart = true;
    private boolean nettyOnly;
    /** Bytes of the body of a head read in one pass still to come. */
    private long bodyLeft;
    /** Bytes of the chunked body of a head read in one pass, framing and all: they are in the buffer already. */
    private int chunkedLeft;
    /** The connection has ended: what is left goes to Netty's decoder, which knows how to end it. */
    private boolean ending;
    /** Body pieces handed back ({@link Recyclable}), which the next of their kind fills; null for new ones. */
    private BodyPiece.Chunk spareChunk;
    private BodyPiece.End spareEnd;

    OnePassDecoding(HttpDecoderConfig config) {
        this.maxChunkSize = config.getMaxChunkSize();
        this.longestWait = Math.min(MAX_HEAD, Math.min(config.getMaxInitialLineLength(), config.getMaxHeaderSize()));
    }

    /** A body of a head read in one pass is under way: {@link #readBody} has the next bytes. */
    boolean inBody() {
        return bodyLeft > 0 || chunkedLeft > 0;
    }

    /** A head may be read in one pass now. */
    boolean mayReadHead() {
        return atStart && !nettyOnly;
    }

    /** {@link #readHead}: no head read, but one may be coming whole: nothing to do until more bytes arrive. */
    static final int WAIT = -2;
    /** {@link #readHead}: the head is not of the common form (or not wholly there and cannot be): Netty's decoder's. */
    static final int NETTY = -1;

    /**
     * Reads the head at the buffer's reader index with {@code head}, from a copy of its bytes; returns its length
     * (the buffer is left as it was: the caller skips the head once it takes it), {@link #WAIT} or {@link #NETTY}.
     */
    int readHead(ByteBuf buffer, CommonHead head) {
        byte[] bytes = HEAD_BYTES.get();
        int length = copyHead(buffer, bytes);
        if (length == BARE_LF) {
            return NETTY; // not common, however it goes on: waiting for its end would hold a malformed head up
        }
        if (length == INCOMPLETE) {
            boolean mayComeWhole = !ending && buffer.readableBytes() <= longestWait
                    && head.mayBegin(bytes, Math.min(buffer.readableBytes(), FIRST_BYTES));
            return mayComeWhole ? WAIT : NETTY; // a head a read cut in two (a browser's request can take two) is waited for, as Netty's decoder waits
        }
        return head.read(bytes, length) ? length : NETTY;
    }

    /** {@link #copyHead}: no whole head of at most {@link #MAX_HEAD} bytes is there (yet). */
    private static final int INCOMPLETE = -1;
    /** {@link #copyHead}: a line of the head ends with an LF alone. */
    private static final int BARE_LF = -2;

    /**
     * Copies the head at the buffer's reader index, up to and including its blank line, into {@code bytes} and returns
     * its length; or, if no whole head of at most {@link #MAX_HEAD} bytes is there, copies what there is of its first
     * line's beginning and returns {@link #INCOMPLETE}; or returns {@link #BARE_LF} at a line's LF with no CR before it.
     */
    private static int copyHead(ByteBuf buffer, byte[] bytes) {
        int start = buffer.readerIndex();
        int end = start + Math.min(buffer.readableBytes(), MAX_HEAD);
        int length = INCOMPLETE;
        for (int from = start; length < 0; ) {
            int lf = buffer.indexOf(from, end, (byte) '\n');
            if (lf < 0) {
                buffer.getBytes(start, bytes, 0, Math.min(end - start, FIRST_BYTES));
                return INCOMPLETE;
            }
            if (lf == start || buffer.getByte(lf - 1) != '\r') {
                return BARE_LF;
            }
            if (lf - start >= 3 && buffer.getByte(lf - 2) == '\n' && buffer.getByte(lf - 3) == '\r') {
                length = lf + 1 - start;
            }
            from = lf + 1;
        }
        buffer.getBytes(start, bytes, 0, length);
        return length;
    }

    /**
     * A head read in one pass: out it goes, and its end too if it has no body; a body follows from the next call, as
     * from Netty's decoder (a handler that takes the codec out on seeing the head gets the body's bytes raw).
     */
    void deliver(HttpMessage head, long bodyLength, List<Object> out) {
        out.add(head);
        bodyLeft = bodyLength;
        if (bodyLeft == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    /**
     * A head read in one pass whose chunked body of {@code chunkedLength} bytes ({@link #chunkedLength}) follows it in
     * the buffer: out it goes, and its body from the next call.
     */
    void deliverChunked(HttpMessage head, int chunkedLength, List<Object> out) {
        out.add(head);
        chunkedLeft = chunkedLength;
    }

    /** {@link #chunkedLength}: the chunked body has not wholly arrived, or is not of the common form. */
    static final int NOT_WHOLE = -1;
    /** The most hex digits of a common chunk size: at most 256 MiB, an {@code int} as Netty's decoder has it. */
    private static final int SIZE_DIGITS = 7;

    /**
     * The length of the chunked body that begins at {@code from}, through the CRLF that ends it, if all of it is in the
     * buffer and of the common form; else {@link #NOT_WHOLE}. The common form, which is what servers send: chunks whose
     * size lines are 1 to 7 hex digits and a CRLF (no extension, no blank), each chunk's data followed by a CRLF, and
     * the last chunk ({@code 0}) followed by a CRLF alone (no trailers). A body still arriving, with trailers, chunk
     * extensions or anything else, is Netty's decoder's, head and all, which reads it as it comes.
     */
    static int chunkedLength(ByteBuf buffer, int from) {
        int end = buffer.writerIndex();
        for (int at = from; ; ) {
            int size = 0;
            int digits = 0;
            for (int digit; at + digits < end && digits <= SIZE_DIGITS && (digit = hexDigit(buffer.getByte(at + digits))) >= 0; digits++) {
                size = size << 4 | digit;
            }
            at += digits;
            if (digits == 0 || digits > SIZE_DIGITS || !crlfAt(buffer, at, end)) {
                return NOT_WHOLE;
            }
            at += 2;
            if (size == 0) {
                return crlfAt(buffer, at, end) ? at + 2 - from : NOT_WHOLE;
            }
            if (end - at < size || !crlfAt(buffer, at + size, end)) {
                return NOT_WHOLE;
            }
            at += size + 2;
        }
    }

    private static boolean crlfAt(ByteBuf buffer, int at, int end) {
        return end - at >= 2 && buffer.getByte(at) == '\r' && buffer.getByte(at + 1) == '\n';
    }

    private static int hexDigit(byte b) {
        return b >= '0' && b <= '9' ? b - '0' : (b | 0x20) >= 'a' && (b | 0x20) <= 'f' ? (b | 0x20) - 'a' + 10 : -1;
    }

    /**
     * The body's next bytes, as Netty's decoder delivers a Content-Length body, but for the trailers of its end: a
     * fixed-length body has none, and its end carries the shared read-only empty ones (as {@code EMPTY_LAST_CONTENT}
     * does) instead of a new empty table each time. A piece of the kind handed back last is filled again
     * ({@link BodyPiece}).
     */
    void readBody(ByteBuf buffer, List<Object> out) {
        if (chunkedLeft > 0) {
            readChunkedBody(buffer, out);
            return;
        }
        int readable = buffer.readableBytes();
        if (readable == 0) {
            return;
        }
        int piece = (int) Math.min(Math.min(readable, maxChunkSize), bodyLeft);
        ByteBuf content = buffer.readRetainedSlice(piece);
        bodyLeft -= piece;
        if (bodyLeft == 0) {
            BodyPiece.End end = spareEnd != null ? spareEnd : new BodyPiece.End(this);
            spareEnd = null;
            out.add(end.fill(content));
        } else {
            out.add(chunk(content));
        }
    }

    /**
     * A whole chunked body of the common form, which {@link #chunkedLength} measured: each chunk's data in pieces of at
     * most the chunk size, then the empty end, as Netty's decoder delivers a chunked body without trailers.
     */
    private void readChunkedBody(ByteBuf buffer, List<Object> out) {
        int end = buffer.readerIndex() + chunkedLeft;
        chunkedLeft = 0;
        for (int size; (size = readChunkSize(buffer)) > 0; buffer.skipBytes(2)) {
            for (int piece; size > 0; size -= piece) {
                piece = Math.min(size, maxChunkSize);
                out.add(chunk(buffer.readRetainedSlice(piece)));
            }
        }
        buffer.readerIndex(end); // past the last chunk's CRLF and the body's
        out.add(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** A piece of a body that is not its end, holding {@code content}: the one handed back last, or a new one. */
    private BodyPiece.Chunk chunk(ByteBuf content) {
        BodyPiece.Chunk chunk = spareChunk != null ? spareChunk : new BodyPiece.Chunk(this);
        spareChunk = null;
        return chunk.fill(content);
    }

    /** The size on the chunk size line at the reader index, which it skips with its CRLF. */
    private static int readChunkSize(ByteBuf buffer) {
        int size = 0;
        for (int digit; (digit = hexDigit(buffer.readByte())) >= 0; ) {
            size = size << 4 | digit;
        }
        buffer.skipBytes(1); // the LF after the CR that ended the digits
        return size;
    }

    /** A piece of a body this read, handed back by its consumer: the next of its kind fills it. */
    void takeBack(BodyPiece<?, ?> piece) {
        switch (piece) {
            case BodyPiece.Chunk chunk -> spareChunk = chunk;
            case BodyPiece.End end -> spareEnd = end;
        }
    }

    /**
     * Netty's decoder has had the bytes from {@code readerIndex} and added {@code out[before, size)}: it is between
     * messages if the last of them ended one (or it took nothing, as before); a malformed message or a switch of
     * protocols leaves the connection to it.
     */
    void afterNetty(ByteBuf buffer, int readerIndex, List<Object> out, int before) {
        for (int i = before; i < out.size(); i++) {
            if (out.get(i) instanceof HttpObject decoded && decoded.decoderResult().isFailure()
                    || out.get(i) instanceof HttpResponse response
                    && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                nettyOnly = true;
            }
        }
        if (out.size() > before) {
            atStart = out.getLast() instanceof LastHttpContent;
        } else if (buffer.readerIndex() != readerIndex) {
            atStart = false; // Netty's decoder holds part of a head
        }
    }

    /** The connection is ending: a head still incomplete is Netty's decoder's from now on. */
    void connectionEnding() {
        ending = true;
    }

    /** The connection ended: a body cut short ends with no LastHttpContent, as Netty's decoder ends a Content-Length body. */
    void connectionEnded() {
        bodyLeft = 0;
        chunkedLeft = 0;
    }
}
