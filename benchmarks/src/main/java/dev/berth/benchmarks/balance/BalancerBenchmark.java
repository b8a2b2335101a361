package dev.berth.benchmarks.balance;

import dev.berth.proxy.balance.Balancer;
import dev.berth.proxy.balance.BalancingPolicy;
import dev.berth.proxy.balance.Endpoint;
import dev.berth.proxy.balance.EndpointSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The shape shared by every balancer benchmark: one balancer per trial shared by all threads, as a Backend's
 * balancer is shared by the event loops, and each JMH thread acting as one event loop with its own index.
 * {@code pick} runs one thread, {@code pickTwoThreads} two, to show whether loops contend; with no shared
 * hot counter the two-thread time per operation stays close to the one-thread time. The state is primed with
 * ten requests per endpoint on each loop, so load-aware balancers compare real estimates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class BalancerBenchmark {

    /** As many event loops as the benchmark has threads at most. */
    static final int LOOPS = 2;

    @Param({"3", "100", "1000"})
    public int endpoints;

    Balancer balancer;

    @Setup
    public void buildBalancer() {
        balancer = policy().newBalancer(endpointSet(endpoints), LOOPS);
        for (int loop = 0; loop < LOOPS; loop++) {
            for (int request = 0; request < 10 * endpoints; request++) {
                int endpoint = balancer.pick(loop, request * 0x9E3779B97F4A7C15L);
                balancer.onStart(loop, endpoint);
                balancer.onFinish(loop, endpoint, latencyOf(endpoint));
            }
        }
    }

    /** The algorithm under test. */
    abstract BalancingPolicy policy();

    /**
     * A made-up latency for the load-aware balancers; it differs by endpoint so their estimates differ and
     * comparisons are not all ties.
     */
    static long latencyOf(int endpoint) {
        return 1_000_000L + ((long) endpoint << 10);
    }

    @Benchmark
    public int pick(EventLoop loop) {
        return balancer.pick(loop.index, loop.nextKey());
    }

    @Benchmark
    @Threads(2)
    public int pickTwoThreads(EventLoop loop) {
        return balancer.pick(loop.index, loop.nextKey());
    }

    /** Pick, start and finish: all the balancer does for one request, for the load-aware balancers. */
    int oneRequest(EventLoop loop) {
        int endpoint = balancer.pick(loop.index, loop.nextKey());
        balancer.onStart(loop.index, endpoint);
        balancer.onFinish(loop.index, endpoint, latencyOf(endpoint));
        return endpoint;
    }

    /** Endpoints on documentation addresses with weights 1 to 4, so weighted algorithms have work to do. */
    static EndpointSet endpointSet(int count) {
        List<Endpoint> endpoints = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            endpoints.add(Endpoint.of("192.0.2." + (1 + i % 254), 8080 + i / 254, 1 + i % 4));
        }
        return EndpointSet.of(endpoints);
    }

    /** One JMH thread playing one event loop: its loop index and a stream of client hash keys. */
    @State(Scope.Thread)
    public static class EventLoop {

        int index;
        private long key;

        @Setup
        public void join(ThreadParams threads) {
            index = threads.getThreadIndex() % LOOPS;
            key = 0x9E3779B97F4A7C15L * (index + 1);
        }

        /** A new key per request (an LCG step: cheap, and its high bits, which Maglev uses, vary well). */
        long nextKey() {
            key = key * 6364136223846793005L + 1442695040888963407L;
            return key;
        }
    }
}
