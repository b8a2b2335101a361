package dev.berth.proxy.http;

import io.netty.handler.codec.http.HttpObject;

/**
 * A message head that a decoder read in one pass, which its one consumer hands back once nothing refers to it any
 * more (it has gone out through the other side's encoder, or become an h2 stream's headers), so that the connection's
 * next head fills the same objects: the message, its headers and their array. A head never handed back is garbage as
 * any other; one handed back must not be touched again. One is kept per decoder; a head handed back while another
 * waits replaces it.
 */
interface Recyclable {
    /** Hands the head back to the decoder that read it. */
    void recycle();

    /** Hands {@code message} back if it is a recyclable head. */
    static void recycle(HttpObject message) {
        if (message instanceof Recyclable head) {
            head.recycle();
        }
    }
}
