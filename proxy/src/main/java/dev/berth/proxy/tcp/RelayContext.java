package dev.berth.proxy.tcp;

import dev.berth.proxy.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every listener and relay of one {@link TcpDataPlane} shares: the transport, whether relays splice, the
 * connect timeout, the event-loop indexes balancers key their per-loop state on, and the counters.
 */
final class RelayContext {

    /**
     * How much a pending splice write weighs in a channel's outbound buffer: more than the default high water mark
     * (64 KiB), so the target turns unwritable until the kernel pipe has drained into it. Without this Netty counts
     * its splice task as 8 bytes, the source would read again at once and a slow target would make the source spin
     * on a full pipe.
     */
    private static final int PENDING_SPLICE_WEIGHT = 1 << 20;

    /** Buffers weigh their readable bytes as usual; the only other message on these channels is Netty's splice task. */
    static final MessageSizeEstimator SPLICE_AWARE_ESTIMATOR = () -> message -> switch (message) {
        case ByteBuf buffer -> buffer.readableBytes();
        case ByteBufHolder holder -> holder.content().readableBytes();
        case FileRegion ignored -> 0;
        default -> PENDING_SPLICE_WEIGHT;
    };

    /**
     * Read sizes of the buffered relay: 16 KiB growing to 256 KiB while reads fill their buffers. Netty's default stops
     * at 64 KiB; a bulk stream then costs four times the reads (iperf3 through the relay: 256 KiB reads ~25% more
     * throughput than splice's 64 KiB rounds, reads of 1 MiB no better than those: benchmarks/README.md).
     */
    static final RecvByteBufAllocator BUFFERED_READS = new AdaptiveRecvByteBufAllocator(4 * 1024, 16 * 1024, 256 * 1024);

    private final Transport transport;
    private final boolean splice;
    private final Duration connectTimeout;
    private final int loopCount;
    private final FastThreadLocal<Integer> loopIndexes = new FastThreadLocal<>();
    private final AtomicInteger nextLoopIndex = new AtomicInteger();
    private final RelayCounters counters = new RelayCounters();

    RelayContext(Transport transport, boolean splice, Duration connectTimeout, int loopCount) {
        this.transport = transport;
        this.splice = splice;
        this.connectTimeout = connectTimeout;
        this.loopCount = loopCount;
    }

    Transport transport() {
        return transport;
    }

    /** True when both ends of every relay are epoll sockets on one loop, which is what {@code spliceTo} needs. */
    boolean splice() {
        return splice;
    }

    int connectTimeoutMillis() {
        return (int) connectTimeout.toMillis();
    }

    int loopCount() {
        return loopCount;
    }

    RelayCounters counters() {
        return counters;
    }

    /** The calling event loop's index for per-loop balancer state, assigned on first use; must be called on {@code loop}. */
    int loopIndex(EventLoop loop) {
        assert loop.inEventLoop();
        Integer index = loopIndexes.getIfExists();
        if (index == null) {
            index = nextLoopIndex.getAndIncrement();
            if (index >= loopCount) {
                throw new IllegalStateException("event loop " + index + " (expected: < " + loopCount + " loops)");
            }
            loopIndexes.set(index);
        }
        return index;
    }
}
