package dev.berth.benchmarks.balance;

import dev.berth.proxy.balance.Balancer;
import dev.berth.proxy.balance.Balancers;
import dev.berth.proxy.balance.EndpointSet;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building a Maglev balancer, which happens on every config snapshot that changes a Maglev Backend's
 * endpoints: the table must be ready well within a snapshot's budget (target ≤ 10 ms at 1000 endpoints).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MaglevTableBuildBenchmark {

    @Param({"1000"})
    public int endpoints;

    private EndpointSet endpointSet;

    @Setup
    public void makeEndpoints() {
        endpointSet = BalancerBenchmark.endpointSet(endpoints);
    }

    @Benchmark
    public Balancer build() {
        return Balancers.maglev().newBalancer(endpointSet, 1);
    }
}
