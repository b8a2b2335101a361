/**
 * JMH benchmarks of the data plane's balancers, because the default algorithm is chosen by measurement: one
 * {@code <Algorithm>BalancerBenchmark} per algorithm over a shared {@link
 * dev.berth.benchmarks.balance.BalancerBenchmark} base, plus the Maglev table build. Results are in
 * {@code benchmarks/README.md}.
 */
package dev.berth.benchmarks.balance;
