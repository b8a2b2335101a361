package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;

/**
 * Who reads a connection's next bytes, a decoder's one-pass reader of common heads ({@link CommonHead}) or Netty's
 * decoder beneath it, and the fixed-length bodies of the heads read in one pass, delivered as Netty's decoder delivers
 * them (pieces of at most its chunk size, the last a {@code LastHttpContent}). One per decoder: a head is read in one
 * pass only where Netty's decoder is between messages too, and never again once Netty's decoder has met a malformed
 * message or a protocol switch (it then keeps the connection to the end).
 */
final class OnePassDecoding {
    /** The longest head read in one pass: within both of Netty's limits (initial line, headers). */
    static final int MAX_HEAD = 8192;
    private static final FastThreadLocal<byte[]> HEAD_BYTES = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX_HEAD];
        }
    };

    private final int maxChunkSize;
    private final HttpHeadersFactory trailers;
    /** The next bytes start a message, and Netty's decoder is between messages too. */
    private boolean atStart = true;
    private boolean nettyOnly;
    /** Bytes of the body of a head read in one pass still to come. */
    private long bodyLeft;
    /** The connection has ended: what is left goes to Netty's decoder, which knows how to end it. */
    private boolean ending;

    OnePassDecoding(int maxChunkSize, HttpHeadersFactory trailers) {
        this.maxChunkSize = maxChunkSize;
        this.trailers = trailers;
    }

    /** A body of a head read in one pass is under way: {@link #readBody} has the next bytes. */
    boolean inBody() {
        return bodyLeft > 0;
    }

    /** A head may be read in one pass now. */
    boolean mayReadHead() {
        return atStart && !nettyOnly;
    }

    /** This event loop's array for {@link #copyHead} (one decode at a time uses it). */
    static byte[] scratch() {
        return HEAD_BYTES.get();
    }

    /**
     * Copies the start of the buffer's readable bytes into {@code bytes}; returns the length of the head there, up to
     * and including its blank line, or -1 if no whole head of at most {@link #MAX_HEAD} bytes is there.
     */
    static int copyHead(ByteBuf buffer, byte[] bytes) {
        int copied = Math.min(buffer.readableBytes(), MAX_HEAD);
        buffer.getBytes(buffer.readerIndex(), bytes, 0, copied);
        for (int i = 3; i < copied; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * The head at the buffer's start is not whole yet ({@link #copyHead} found no end) but its first bytes, copied into
     * {@code bytes}, may begin a common one: the decoder waits for the rest, as Netty's would, instead of handing Netty
     * a head a read cut in two (a browser's request can take two reads).
     */
    boolean waitsForRestOfHead(ByteBuf buffer, byte[] bytes, CommonHead head) {
        return !ending && buffer.readableBytes() < MAX_HEAD && head.mayBegin(bytes, buffer.readableBytes());
    }

    /** A head read in one pass: out it goes, with as much of its body of {@code bodyLength} bytes as is there. */
    void deliver(HttpMessage head, long bodyLength, ByteBuf buffer, List<Object> out) {
        out.add(head);
        bodyLeft = bodyLength;
        if (bodyLeft == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            readBody(buffer, out);
        }
    }

    /** The body's next bytes, as Netty's decoder delivers a Content-Length body. */
    void readBody(ByteBuf buffer, List<Object> out) {
        int readable = buffer.readableBytes();
        if (readable == 0) {
            return;
        }
        int piece = (int) Math.min(Math.min(readable, maxChunkSize), bodyLeft);
        ByteBuf content = buffer.readRetainedSlice(piece);
        bodyLeft -= piece;
        out.add(bodyLeft == 0 ? new DefaultLastHttpContent(content, trailers) : new DefaultHttpContent(content));
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
    }
}
