/**
 * The one place where the data plane picks its Netty transport: io_uring or epoll first, as this host's kernel entries
 * cost ({@link dev.berth.proxy.transport.KernelEntryCost}), then the other, then NIO.
 * Everything else asks {@link dev.berth.proxy.transport.TransportChoice} for channel classes.
 */
package dev.berth.proxy.transport;
