/**
 * JMH benchmarks of the HTTP data plane end to end in one JVM, for what only an in-process measurement can show
 * exactly: the garbage each proxied request leaves (issue 7). Throughput against HAProxy is {@code ./berth bench}.
 */
package dev.berth.benchmarks.proxy;
