package dev.berth.appliance.admin;

/**
 * The L4 plane in {@code /api/overview}: how TCP Services' bytes move, and counters that prove it. With
 * {@code relay: splice} ({@code run --tcp-splice}), {@code bufferedBytes} stays near 0 however much traffic passes (only bytes behind a PROXY
 * header in its segment, or queued at a FIN, pass through the heap); with {@code bytebuf}, the default, every byte does.
 *
 * @param transport the L4 plane's Netty transport (epoll even when HTTP runs on io_uring)
 * @param relay {@code splice} or {@code bytebuf}
 * @param connections connections relayed since start
 * @param splicedReads splice rounds (socket → pipe → socket) done in the kernel
 * @param bufferedBytes bytes that passed through a ByteBuf
 */
public record TcpOverview(String transport, String relay, long connections, long splicedReads, long bufferedBytes) {
}
