package dev.berth.benchmarks.balance;

import dev.berth.proxy.balance.Balancers;
import dev.berth.proxy.balance.BalancingPolicy;

/** Round robin: {@code pick} alone. */
public class RoundRobinBalancerBenchmark extends BalancerBenchmark {

    @Override
    BalancingPolicy policy() {
        return Balancers.roundRobin();
    }
}
