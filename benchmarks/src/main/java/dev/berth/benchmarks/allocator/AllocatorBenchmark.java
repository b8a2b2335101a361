package dev.berth.benchmarks.allocator;

import dev.berth.l2.allocator.AddressPool;
import dev.berth.l2.allocator.Allocator;
import dev.berth.l2.allocator.AssignResult;
import dev.berth.l2.allocator.ExistingAllocation;
import dev.berth.l2.allocator.IpFamilyPolicy;
import dev.berth.l2.allocator.RestoreReport;
import dev.berth.l2.allocator.ServiceAllocation;
import dev.berth.l2.allocator.ServicePort;
import dev.berth.l2.allocator.ServiceRequest;
import dev.berth.l2.allocator.ServiceKey;
import dev.berth.l2.pool.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The allocator's two batch jobs, each timed as one whole batch (SingleShotTime: one call per iteration,
 * on a fresh allocator, so no iteration inherits the previous one's allocations):
 * <ul>
 *   <li>{@code assignAll}: 10,000 new Services into pools of 65,536 addresses each — a cold start or a
 *       burst of new Services; target ≤ 200 ms;</li>
 *   <li>{@code restoreAll}: taking back 10,000 existing allocations at start; target ≤ 100 ms.</li>
 * </ul>
 * The Services mix what a cluster has: mostly single-stack IPv4, some IPv6 and dual-stack, pairs that
 * share an address by key, a team with its own pool, and a few that name a pool.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AllocatorBenchmark {

    static final int SERVICES = 10_000;

    /** Four pools of 65,536 addresses per family; the same list every iteration. */
    static final List<AddressPool> POOLS = List.of(
            AddressPool.of("general-a", "10.0.0.0/16"),
            AddressPool.of("general-b", "10.1.0.0/16").withAvoidBuggyIPs(true),
            AddressPool.of("dual", "10.2.0.0/16", "2001:db8:2::/112"),
            AddressPool.of("team", "10.3.0.0/16", "2001:db8:3::/112")
                    .withServiceAllocation(ServiceAllocation.priority(1).withNamespaces("team")));

    private List<ServiceRequest> requests;
    private List<ExistingAllocation> existing;
    private Allocator allocator;

    @Setup(Level.Trial)
    public void prepareBatches() {
        requests = new ArrayList<>(SERVICES);
        for (int i = 0; i < SERVICES; i++) {
            requests.add(request(i));
        }
        Allocator source = freshAllocator();
        existing = new ArrayList<>(SERVICES);
        for (ServiceRequest request : requests) {
            if (source.assign(request) instanceof AssignResult.Allocated allocated) {
                existing.add(new ExistingAllocation(request, allocated.allocation().ips()));
            }
        }
        if (existing.size() != SERVICES) {
            throw new IllegalStateException(existing.size() + " of " + SERVICES + " allocated (expected: all)");
        }
    }

    @Setup(Level.Iteration)
    public void freshAllocatorPerBatch() {
        allocator = freshAllocator();
    }

    private static Allocator freshAllocator() {
        Allocator allocator = new Allocator();
        allocator.apply(POOLS);
        return allocator;
    }

    /** Service {@code i} of the mix: 1 in 10 IPv6, 1 in 10 dual-stack, 1 in 10 sharing, 1 in 20 in "team". */
    private static ServiceRequest request(int i) {
        String namespace = i % 20 == 3 ? "team" : "ns" + (i % 50);
        ServiceRequest request = ServiceRequest.of(new ServiceKey(namespace, "svc-" + i))
                .withLabels(Map.of("app", "app-" + (i % 100)))
                .withPorts(ServicePort.tcp(80), ServicePort.tcp(443));
        return switch (i % 10) {
            case 1 -> request.withFamilies(IpFamilyPolicy.SINGLE_STACK, IpFamily.IPV6);
            case 2 -> request.withFamilies(IpFamilyPolicy.REQUIRE_DUAL_STACK, IpFamily.IPV4, IpFamily.IPV6);
            // Ten Services per key, each on its own port, so they pack onto one address.
            case 5 -> request.withSharingKey("shared-" + (i / 100)).withPorts(ServicePort.tcp(8000 + (i / 10) % 10));
            case 7 -> request.withPool("general-b");
            default -> request;
        };
    }

    @Benchmark
    public Allocator assignAll() {
        for (ServiceRequest request : requests) {
            allocator.assign(request);
        }
        return allocator;
    }

    @Benchmark
    public RestoreReport restoreAll() {
        return allocator.restore(existing);
    }
}
