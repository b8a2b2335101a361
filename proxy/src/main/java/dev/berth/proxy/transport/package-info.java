/**
 * The one place where the data plane picks its Netty transport: io_uring, then epoll, then NIO.
 * Everything else asks {@link dev.berth.proxy.transport.TransportChoice} for channel classes.
 */
package dev.berth.proxy.transport;
