package dev.berth.benchmarks.balance;

import dev.berth.proxy.balance.Balancers;
import dev.berth.proxy.balance.BalancingPolicy;

/** Random: {@code pick} alone. */
public class RandomBalancerBenchmark extends BalancerBenchmark {

    @Override
    BalancingPolicy policy() {
        return Balancers.random();
    }
}
