package dev.berth.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpObject;

/**
 * Where an exchange's request goes and its response comes from, as {@link FrontendHandler} sees it: an HTTP/1.1
 * connection ({@link BackendHandler}, pooled between exchanges) or one stream of a multiplexed h2 connection
 * ({@link H2UpstreamStream}, which has no channel of its own). The response comes back to the attached frontend as
 * HTTP/1 messages ({@link FrontendHandler#onUpstreamMessage}), a batch at a time after each {@link #read}
 * ({@link FrontendHandler#onUpstreamReadComplete}); an end before the response has (its connection closed, its
 * stream reset) as {@link FrontendHandler#onUpstreamClosed}.
 */
interface Upstream {

    void attach(FrontendHandler frontend);

    /** The frontend is done with it: nothing more reaches the frontend from here. */
    void detach();

    /** Asks for the next batch of the response. */
    void read();

    /**
     * Writes a request message and flushes; the future tells when it has left (a request body's back-pressure). An h2
     * stream ends itself when the write fails; an HTTP/1.1 connection is the future's channel, for the writer to close.
     */
    ChannelFuture writeAndFlush(HttpObject message);

    /** Writes the request's last message and flushes; a failure to write it ends the upstream, which says so. */
    void writeLastAndFlush(HttpObject message);

    /** Ends it: an HTTP/1.1 connection closes, an h2 stream is reset if it has not ended both ways. */
    void close();

    /** A stream of a shared connection: never pooled, never a tunnel. */
    boolean isStream();

    /** The connection it is (an HTTP/1.1 upstream), or that carries it (an h2 stream). */
    Channel channel();
}
