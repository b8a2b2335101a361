/**
 * JMH benchmarks of the route table, which every HTTP request passes through and which must therefore
 * answer in nanoseconds and allocate nothing (issue 3).
 */
package dev.berth.benchmarks.route;
