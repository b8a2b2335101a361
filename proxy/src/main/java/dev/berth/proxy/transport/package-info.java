/**
 * The one place where the data plane picks its Netty transport: io_uring or epoll first, as this host's kernel entries
 * cost ({@link dev.berth.proxy.transport.KernelEntryCost}), then the other, then NIO.
 * Everything else asks {@link dev.berth.proxy.transport.TransportChoice} for channel classes. Each loop group places
 * new connections on the less loaded of its loops ({@link dev.berth.proxy.transport.LessLoadedLoop}).
 */
package dev.berth.proxy.transport;
