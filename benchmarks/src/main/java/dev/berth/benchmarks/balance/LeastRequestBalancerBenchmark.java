package dev.berth.benchmarks.balance;

import dev.berth.proxy.balance.Balancers;
import dev.berth.proxy.balance.BalancingPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;

/**
 * Least request (power of two choices): {@code pick} alone, and {@code requestCycle}, which adds the
 * {@code onStart} and {@code onFinish} every request also costs.
 */
public class LeastRequestBalancerBenchmark extends BalancerBenchmark {

    @Override
    BalancingPolicy policy() {
        return Balancers.leastRequest();
    }

    @Benchmark
    public int requestCycle(EventLoop loop) {
        return oneRequest(loop);
    }

    @Benchmark
    @Threads(2)
    public int requestCycleTwoThreads(EventLoop loop) {
        return oneRequest(loop);
    }
}
