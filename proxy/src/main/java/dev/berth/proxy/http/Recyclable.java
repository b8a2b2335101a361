package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpObject;

/**
 * A message head or a body piece ({@link BodyPiece}) that a decoder read in one pass, which its one consumer hands
 * back once nothing refers to it any more (it has gone out through the other side's encoder, or become an h2 stream's
 * frames), so that the connection's next head or piece of its kind fills the same objects: the message, its headers
 * and their array; the piece. One never handed back is garbage as any other; one handed back must not be touched
 * again. One of each kind is kept per decoder; one handed back while another waits replaces it.
 */
interface Recyclable {
    /** Hands it back to the decoder that read it. */
    void recycle();

    /** Hands {@code message} back if it is recyclable. */
    static void recycle(HttpObject message) {
        if (message instanceof Recyclable recyclable) {
            recyclable.recycle();
        }
    }
}
