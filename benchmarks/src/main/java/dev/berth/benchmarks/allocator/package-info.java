/**
 * JMH benchmarks of the address plane's allocator, which must assign and restore whole clusters' worth of
 * Services within a reconcile's budget (issue 5: 10,000 in 200 ms, restore in 100 ms).
 */
package dev.berth.benchmarks.allocator;
