package dev.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpObject;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A piece of a body read in one pass ({@link OnePassDecoding}), as Netty's decoder delivers one: a {@link Chunk},
 * and at a fixed-length body's end an {@link End} without trailers (a chunked body ends with Netty's empty one). Its
 * one consumer may hand it back ({@link Recyclable}) once it has gone on, and the decoder's next piece of the same
 * kind then fills this object instead of a new one. Reference counts are its content's, as in Netty's holders;
 * copies and duplicates are Netty's own classes. A piece handed back holds no content any more: touching it fails at
 * once.
 */
abstract sealed class BodyPiece<P extends BodyPiece<P, R>, R extends HttpContent> extends DefaultHttpObject
        implements HttpContent, Recyclable {
    private final OnePassDecoding decoding;
    private ByteBuf content;

    private BodyPiece(OnePassDecoding decoding) {
        this.decoding = decoding;
    }

    /** This piece, as its own kind. */
    abstract P self();

    /** A piece of Netty's own class of this kind holding {@code bytes}, with this one's decoder result. */
    @Override
    public abstract R replace(ByteBuf bytes);

    final P fill(ByteBuf bytes) {
        content = bytes;
        setDecoderResult(DecoderResult.SUCCESS);
        return self();
    }

    @Override
    public final void recycle() {
        content = null;
        decoding.takeBack(this);
    }

    @Override
    public final ByteBuf content() {
        return content;
    }

    @Override
    public final R copy() {
        return replace(content.copy());
    }

    @Override
    public final R duplicate() {
        return replace(content.duplicate());
    }

    @Override
    public final R retainedDuplicate() {
        return replace(content.retainedDuplicate());
    }

    @Override
    public final int refCnt() {
        return content.refCnt();
    }

    @Override
    public final P retain() {
        content.retain();
        return self();
    }

    @Override
    public final P retain(int increment) {
        content.retain(increment);
        return self();
    }

    @Override
    public final P touch() {
        content.touch();
        return self();
    }

    @Override
    public final P touch(Object hint) {
        content.touch(hint);
        return self();
    }

    @Override
    public final boolean release() {
        return content.release();
    }

    @Override
    public final boolean release(int decrement) {
        return content.release(decrement);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + content + ")";
    }

    /** A piece of a body that goes on after it. */
    static final class Chunk extends BodyPiece<Chunk, HttpContent> {
        Chunk(OnePassDecoding decoding) {
            super(decoding);
        }

        @Override
        Chunk self() {
            return this;
        }

        @Override
        public HttpContent replace(ByteBuf bytes) {
            DefaultHttpContent replaced = new DefaultHttpContent(bytes);
            replaced.setDecoderResult(decoderResult());
            return replaced;
        }
    }

    /** The last piece of a body: a fixed-length body has no trailers, so its end carries Netty's shared empty ones. */
    static final class End extends BodyPiece<End, LastHttpContent> implements LastHttpContent {
        End(OnePassDecoding decoding) {
            super(decoding);
        }

        @Override
        End self() {
            return this;
        }

        @Override
        public HttpHeaders trailingHeaders() {
            return EmptyHttpHeaders.INSTANCE;
        }

        @Override
        public LastHttpContent replace(ByteBuf bytes) {
            DefaultLastHttpContent replaced = new DefaultLastHttpContent(bytes, EmptyHttpHeaders.INSTANCE);
            replaced.setDecoderResult(decoderResult());
            return replaced;
        }
    }
}
