package dev.berth.benchmarks.balance;

import dev.berth.proxy.balance.Balancers;
import dev.berth.proxy.balance.BalancingPolicy;

/** Maglev consistent hashing (the key changes every pick, the worst case for the cache): {@code pick} alone. */
public class MaglevBalancerBenchmark extends BalancerBenchmark {

    @Override
    BalancingPolicy policy() {
        return Balancers.maglev();
    }
}
