package dev.berth.proxy.tcp;

import java.util.concurrent.atomic.LongAdder;

/**
 * How the relays of one {@link TcpDataPlane} moved bytes: through {@code splice(2)} or through ByteBufs. This is how
 * a test (and the admin API, once it shows {@link TcpDataPlane#stats()}) knows splice is in use: on epoll, a stream
 * relayed end to end leaves {@link #bufferedBytes} at zero while {@link #splicedReads} grows. Written from every event
 * loop, hence adders.
 */
final class RelayCounters {
    private final LongAdder connections = new LongAdder();
    private final LongAdder spliceStarts = new LongAdder();
    private final LongAdder splicedReads = new LongAdder();
    private final LongAdder bufferedBytes = new LongAdder();

    void connectionRelayed() {
        connections.increment();
    }

    void spliceStarted() {
        spliceStarts.increment();
    }

    void splicedRead() {
        splicedReads.increment();
    }

    void buffered(int bytes) {
        bufferedBytes.add(bytes);
    }

    TcpDataPlane.RelayStats snapshot(TcpDataPlane.Relay relay) {
        return new TcpDataPlane.RelayStats(relay, connections.sum(), spliceStarts.sum(), splicedReads.sum(), bufferedBytes.sum());
    }
}
