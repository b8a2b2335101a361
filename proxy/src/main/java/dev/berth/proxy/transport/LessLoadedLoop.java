package dev.berth.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntUnaryOperator;

/**
 * Which event loop of a group serves a new connection: the less loaded of two, a loop's load being the connections
 * placed on it that are still open. HAProxy spreads accepted connections over its threads the same way. Netty's
 * default hands them out in turn, which evens out their number but not the work: where loops share a CPU with each
 * other and with a backend, the loop that also accepts, or that the scheduler has just preempted, falls behind and
 * keeps receiving its half, so its connections wait longer. Placed by load, new connections go to the loop that keeps
 * up. On the bench's host (two loops on the CPU of the backend, a connection per request) the loops' CPU times went
 * from 1.19:1 to 1.07:1, and Berth served 1.03–1.12× what it did with turns (the bench's A/B, a hand-run one), at
 * 0.84–0.85× the p99 (tuning log in benchmarks/README.md, "Connections to the less loaded loop").
 *
 * <p>The two candidates are the next loop in turn and one other at random (both of them with two loops): two reads
 * per connection, however many loops, and no loop flooded because it looked idlest to many choices at once. A tie goes
 * to the loop in turn, so equal loads still alternate.
 *
 * <p>A factory serves one group: the group asks it once for its chooser ({@link #newChooser}), and the group's
 * listening channels carry {@link #counter()} in their pipelines, which counts each connection they accept from the
 * moment Netty's acceptor has placed it until it closes: a loop that has not yet registered what it was given already
 * looks busier to the next choice. The listening channels themselves are no load.
 */
public final class LessLoadedLoop implements EventExecutorChooserFactory {
    private static final IntUnaryOperator RANDOM = bound -> ThreadLocalRandom.current().nextInt(bound);

    // Set once, by the group's constructor, before any of its loops runs; read only on those loops, by the counter and
    // the close listener.
    private Loads loads;
    private Map<EventExecutor, Integer> indexes;
    private final ChannelFutureListener released = closed -> loads.release(indexOf(closed.channel()));
    private final ChannelHandler counter = new Counter();

    @Override
    public synchronized EventExecutorChooser newChooser(EventExecutor[] loops) {
        if (loads != null) {
            throw new IllegalStateException("a LessLoadedLoop serves one event loop group, and has one already");
        }
        Map<EventExecutor, Integer> byLoop = new IdentityHashMap<>();
        for (int i = 0; i < loops.length; i++) {
            byLoop.put(loops[i], i);
        }
        indexes = byLoop;
        loads = new Loads(loops.length);
        EventExecutor[] candidates = loops.clone();
        Loads counted = loads;
        return () -> candidates[counted.choose(RANDOM)];
    }

    /** For the pipeline of each of the group's listening channels: counts what it accepts, until each closes. */
    public ChannelHandler counter() {
        return counter;
    }

    private int indexOf(Channel placed) {
        return indexes.get(placed.eventLoop());
    }

    @ChannelHandler.Sharable
    private final class Counter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ctx.fireChannelRead(message); // Netty's acceptor places it, by the chooser, and hands it to that loop
            Channel accepted = (Channel) message;
            if (accepted.isOpen()) { // placed, or closed already by a registration that failed
                loads.add(indexOf(accepted));
                accepted.closeFuture().addListener(released);
            }
        }
    }

    /**
     * The open connections placed on each loop, and the choice between two of them. Placements come from the threads
     * that accept, releases from each connection's own loop, hence atomic counts, laid out as the balancers' per-loop
     * state is ({@code balance.PerLoop}): each 128 bytes from its neighbours and from the array's header (two cache
     * lines, which the CPU prefetches in pairs), so that the loops do not contend for each other's.
     */
    static final class Loads {
        private static final int STRIDE = 32; // ints per 128 bytes
        private final AtomicIntegerArray open;
        private final int loops;
        private final AtomicInteger turn = new AtomicInteger();

        Loads(int loops) {
            if (loops < 1) {
                throw new IllegalArgumentException("loops: " + loops + " (expected: > 0)");
            }
            this.loops = loops;
            this.open = new AtomicIntegerArray((loops + 1) * STRIDE);
        }

        /** The less loaded of the loop in turn and another, drawn by {@code random} (given a bound) from the rest. */
        int choose(IntUnaryOperator random) {
            int first = Math.floorMod(turn.getAndIncrement(), loops);
            if (loops == 1) {
                return first;
            }
            int second = (first + 1 + (loops == 2 ? 0 : random.applyAsInt(loops - 1))) % loops;
            return open(second) < open(first) ? second : first;
        }

        void add(int loop) {
            open.incrementAndGet(slot(loop));
        }

        void release(int loop) {
            open.decrementAndGet(slot(loop));
        }

        int open(int loop) {
            return open.get(slot(loop));
        }

        private static int slot(int loop) {
            return (loop + 1) * STRIDE - 1;
        }
    }
}
