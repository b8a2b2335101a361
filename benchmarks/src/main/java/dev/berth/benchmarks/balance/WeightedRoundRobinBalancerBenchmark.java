package dev.berth.benchmarks.balance;

import dev.berth.proxy.balance.Balancers;
import dev.berth.proxy.balance.BalancingPolicy;

/** Smooth weighted round robin: {@code pick} alone. */
public class WeightedRoundRobinBalancerBenchmark extends BalancerBenchmark {

    @Override
    BalancingPolicy policy() {
        return Balancers.weightedRoundRobin();
    }
}
