package dev.berth.appliance.address;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.l2.allocator.AddressPool;
import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.allocator.Allocator;
import dev.berth.l2.allocator.AssignResult;
import dev.berth.l2.allocator.ExistingAllocation;
import dev.berth.l2.allocator.IpFamilyPolicy;
import dev.berth.l2.allocator.PoolUsage;
import dev.berth.l2.allocator.PoolsResult;
import dev.berth.l2.allocator.RestoreReport;
import dev.berth.l2.allocator.ServiceKey;
import dev.berth.l2.allocator.ServiceRequest;
import dev.berth.l2.pool.IpFamily;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import java.net.Inet4Address;
import dev.berth.l2.pool.IpText;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the allocator once per configuration generation: pools from the IPAddressPools, a request per served
 * LoadBalancer Service, the result recorded in the {@link AllocationStore}. On the first run it restores every
 * recorded allocation before it assigns anything (MetalLB's lesson: a restart must not hand out an IP that a
 * Service already holds). An allocation is released only when its Service is gone or no longer served, never
 * because the Service's spec became invalid.
 */
public final class AddressPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AddressPlane.class);
    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private final AllocationStore store;
    private final Set<String> classes;
    private final BooleanSupplier mayAllocate;
    private final AddressEvents events;
    private final Map<ServiceKey, String> reportedFailures = new HashMap<>();
    /**
     * Services whose recorded IPs could not be restored (another Service holds them, or no pool has them). They get
     * no new IP from this process: their record (Service status) is reported, not overwritten, until a person decides.
     */
    private final Map<ServiceKey, String> conflicts = new HashMap<>();
    private Allocator allocator = new Allocator();
    private Snapshot latest = Snapshot.EMPTY;
    private final Map<ServiceKey, List<String>> problems = new HashMap<>();
    private boolean restored;
    private volatile AddressView view = AddressView.EMPTY;
    private volatile Runnable recordChanged = () -> {};

    /**
     * @param classes the {@code loadBalancerClass} values served; {@code ""} stands for Services without a class
     */
    public AddressPlane(AllocationStore store, Set<String> classes) {
        this(store, classes, () -> true, AddressEvents.NONE);
    }

    /**
     * @param mayAllocate whether this replica is the allocator now (the Lease holder in a cluster); while it is
     *     not, reconcile only shows what the store records and allocates nothing
     * @param events where allocation, failure and release are told (Service events in a cluster)
     */
    public AddressPlane(AllocationStore store, Set<String> classes, BooleanSupplier mayAllocate, AddressEvents events) {
        this.store = store;
        this.classes = Set.copyOf(classes);
        this.mayAllocate = mayAllocate;
        this.events = events;
    }

    /** Reconciles the latest Snapshot again, e.g. when this replica has just become the allocator. */
    public synchronized void reconcileLatest() {
        reconcile(latest);
    }

    /**
     * Starts again from the record, then reconciles: the record changed under this plane (a replicated table arrived,
     * or the coordinator merged the tables of a healed partition), so what the allocator holds in memory is stale.
     * When that changes the view, the {@link #onRecordChanged} listener hears it, after this plane's lock is released.
     */
    public void reloadRecord() {
        AddressView before;
        AddressView after;
        synchronized (this) {
            if (latest == Snapshot.EMPTY) {
                return; // no configuration yet: reconciling nothing would release every allocation
            }
            restored = false;
            before = view;
            after = reconcile(latest);
        }
        if (!after.equals(before)) {
            recordChanged.run();
        }
    }

    /**
     * Called when a reloaded record changed the view between two generations: a follower's IPs arrive with the
     * coordinator's table, usually after the follower reconciled the same generation from an older table, and what
     * depends on the IPs (announcing them, TCP listeners on them) has to follow without waiting for the next one.
     */
    public void onRecordChanged(Runnable listener) {
        this.recordChanged = listener;
    }

    /** The default classes: Services without a class, and {@code berth.dev/lb}. */
    public static Set<String> defaultClasses() {
        return Set.of("", ServiceRequests.DEFAULT_CLASS);
    }

    @Override
    public void close() {
        store.close();
    }

    /** The IPs a Service holds now, as allocated (empty for a Service without any, or on a standby replica). */
    public synchronized List<InetAddress> addressesOf(String namespace, String name) {
        return view.services().stream()
                .filter(service -> service.namespace().equals(namespace) && service.name().equals(name))
                .flatMap(service -> service.ips().stream())
                .map(InetAddress::ofLiteral)
                .toList();
    }

    public AddressView view() {
        return view;
    }

    public synchronized AddressView reconcile(Snapshot snapshot) {
        latest = snapshot;
        problems.clear();
        Map<ServiceKey, Service> served = servedServices(snapshot);
        Map<ServiceKey, ServiceRequests.Parsed> parsed = parse(served, namespaceLabels(snapshot));
        if (!mayAllocate.getAsBoolean()) {
            restored = false; // whoever allocates now may change things: start from the record when our turn comes
            view = recordedView(served, snapshot);
            return view;
        }
        if (!restored) {
            allocator = new Allocator();
            applyPools(snapshot);
            restore(parsed, snapshot);
            restored = true;
        } else {
            applyPools(snapshot);
        }
        conflicts.keySet().retainAll(served.keySet()); // a conflicted Service that is gone is no longer a question
        for (Allocation allocation : allocator.allocations()) {
            if (!served.containsKey(allocation.service())) {
                allocator.release(allocation.service());
                log.info("released {} of {}: the Service is gone or no longer served", allocation.ips(), allocation.service());
                events.released(allocation.service(), allocation.ips(), "the Service is gone or no longer served");
            }
        }
        assignUntilSettled(parsed);
        store.save(allocator.allocations());
        store.notices().forEach((key, notice) -> {
            if (served.containsKey(key)) {
                problem(key, notice);
            }
        });
        view = render(served, parsed);
        return view;
    }

    /**
     * Assigns every request, again while a pass changes the allocations or who is refused: a Service's new sharing
     * terms change no allocation, yet can admit a Service refused earlier in the same pass. Settling makes the outcome
     * independent of the order of the requests, which is what a restart (restore, then assign) reproduces.
     */
    private void assignUntilSettled(Map<ServiceKey, ServiceRequests.Parsed> parsed) {
        Map<ServiceKey, List<String>> refusedBefore = null;
        for (int pass = 0; pass < 5; pass++) {
            List<Allocation> start = allocator.allocations();
            problems.clear();
            parsed.forEach((key, result) -> {
                switch (result) {
                    case ServiceRequests.Parsed.Invalid invalid -> problem(key, invalid.field() + ": " + invalid.message());
                    case ServiceRequests.Parsed.Request request -> {
                        if (conflicts.containsKey(key)) {
                            problem(key, conflicts.get(key));
                        } else {
                            assign(request.request());
                        }
                    }
                }
            });
            if (allocator.allocations().equals(start) && problems.equals(refusedBefore)) {
                return;
            }
            refusedBefore = new HashMap<>(problems);
        }
    }

    private void applyPools(Snapshot snapshot) {
        List<AddressPool> pools = Pools.of(snapshot.ipAddressPools());
        switch (allocator.apply(pools)) {
            case PoolsResult.Rejected rejected -> log.error("pools refused by the allocator, the previous pools stay: {}", rejected.problems());
            case PoolsResult.Applied applied -> applied.released().forEach(released -> {
                log.warn("released {} of {}: {}", released.allocation().ips(), released.allocation().service(), released.reason());
                events.released(released.allocation().service(), released.allocation().ips(), released.reason());
            });
        }
    }

    private Map<ServiceKey, Service> servedServices(Snapshot snapshot) {
        Map<ServiceKey, Service> served = new TreeMap<>();
        for (Service service : snapshot.services()) {
            if (ServiceRequests.isServed(service, classes)) {
                served.put(new ServiceKey(service.getMetadata().getNamespace(), service.getMetadata().getName()), service);
            }
        }
        return served;
    }

    /** Labels per namespace; a namespace nobody declared (usual standalone) still has its automatic name label. */
    private static Map<String, Map<String, String>> namespaceLabels(Snapshot snapshot) {
        Map<String, Map<String, String>> labels = new HashMap<>();
        for (Namespace namespace : snapshot.namespaces()) {
            Map<String, String> own = new HashMap<>(namespace.getMetadata().getLabels() == null ? Map.of() : namespace.getMetadata().getLabels());
            own.put(NAMESPACE_NAME_LABEL, namespace.getMetadata().getName());
            labels.put(namespace.getMetadata().getName(), own);
        }
        return labels;
    }

    private static Map<ServiceKey, ServiceRequests.Parsed> parse(Map<ServiceKey, Service> served, Map<String, Map<String, String>> labels) {
        Map<ServiceKey, ServiceRequests.Parsed> parsed = new TreeMap<>();
        served.forEach((key, service) -> parsed.put(key, ServiceRequests.parse(service,
                labels.getOrDefault(key.namespace(), Map.of(NAMESPACE_NAME_LABEL, key.namespace())))));
        return parsed;
    }

    private void restore(Map<ServiceKey, ServiceRequests.Parsed> parsed, Snapshot snapshot) {
        List<ExistingAllocation> existing = new ArrayList<>();
        store.load(snapshot).forEach((key, ips) -> {
            ServiceRequests.Parsed current = parsed.get(key);
            if (current instanceof ServiceRequests.Parsed.Request request) {
                existing.add(new ExistingAllocation(request.request(), ips));
            } else if (current != null) {
                existing.add(new ExistingAllocation(asRecorded(key, ips), ips)); // invalid now, but its IPs stay its own
            }
        });
        RestoreReport report = allocator.restore(existing);
        conflicts.clear();
        report.conflicts().forEach(conflict -> {
            String message = "recorded " + conflict.ips().stream().map(IpText::of).toList() + " not restored: " + conflict.problem()
                    + " (expected: the record cleared, or the other holder removed; it is left as it is until then)";
            conflicts.put(conflict.service(), message);
            log.warn("{}: {}", conflict.service(), message);
        });
        log.info("restored {} allocation(s), {} conflict(s)", report.restored().size(), report.conflicts().size());
    }

    /** A request that asks for exactly the recorded IPs, for a Service whose own spec cannot be read right now. */
    private static ServiceRequest asRecorded(ServiceKey key, List<InetAddress> ips) {
        List<IpFamily> families = ips.stream().map(ip -> ip instanceof Inet4Address ? IpFamily.IPV4 : IpFamily.IPV6).distinct().toList();
        IpFamilyPolicy policy = families.size() == 2 ? IpFamilyPolicy.REQUIRE_DUAL_STACK : IpFamilyPolicy.SINGLE_STACK;
        return ServiceRequest.of(key).withRequestedIps(ips).withFamilies(policy, families.toArray(IpFamily[]::new));
    }

    private void assign(ServiceRequest request) {
        switch (allocator.assign(request)) {
            case AssignResult.Allocated allocated -> {
                reportedFailures.remove(allocated.service());
                if (allocated.change() != AssignResult.Change.UNCHANGED) {
                    log.info("{} {} from pool {}", allocated.change() == AssignResult.Change.NEW ? "allocated" : "changed to",
                            allocated.allocation().ips(), allocated.allocation().pool());
                    events.allocated(allocated.service(), allocated.allocation().ips(), allocated.allocation().pool());
                }
            }
            case AssignResult.Rejected rejected -> {
                problem(rejected.service(), rejected.problem());
                if (!rejected.problem().equals(reportedFailures.put(rejected.service(), rejected.problem()))) {
                    log.warn("Service {}: {}", rejected.service(), rejected.problem()); // once per distinct problem
                    events.failed(rejected.service(), rejected.problem());
                }
            }
        }
    }

    /** A standby replica's view: what the Services' record says, nothing allocated here. */
    private AddressView recordedView(Map<ServiceKey, Service> served, Snapshot snapshot) {
        Map<ServiceKey, List<InetAddress>> recorded = store.load(snapshot);
        Map<ServiceKey, String> pools = store.recordedPools();
        List<ServiceAddress> services = new ArrayList<>();
        served.forEach((key, service) -> services.add(new ServiceAddress(key.namespace(), key.name(),
                recorded.getOrDefault(key, List.of()).stream().map(IpText::of).toList(),
                Optional.ofNullable(pools.get(key))
                        .orElseGet(() -> Annotations.find(service, Annotations.POOL_RECORD).map(Annotations.Found::value).orElse(null)),
                Annotations.find(service, Annotations.ALLOW_SHARED_IP).map(Annotations.Found::value).orElse(null), List.of())));
        return new AddressView(services, List.of());
    }

    private void problem(ServiceKey service, String message) {
        problems.computeIfAbsent(service, key -> new ArrayList<>()).add(message);
    }

    private AddressView render(Map<ServiceKey, Service> served, Map<ServiceKey, ServiceRequests.Parsed> parsed) {
        List<ServiceAddress> services = new ArrayList<>();
        served.forEach((key, service) -> {
            Optional<Allocation> allocation = allocator.allocation(key);
            String sharingKey = Annotations.find(service, Annotations.ALLOW_SHARED_IP).map(Annotations.Found::value).orElse(null);
            services.add(new ServiceAddress(key.namespace(), key.name(),
                    allocation.map(a -> a.ips().stream().map(IpText::of).toList()).orElse(List.of()),
                    allocation.map(Allocation::pool).orElse(null), sharingKey, problems.getOrDefault(key, List.of())));
        });
        List<PoolView> pools = allocator.usage().stream().map(AddressPlane::render).toList();
        return new AddressView(services, pools);
    }

    private static PoolView render(PoolUsage usage) {
        return new PoolView(usage.pool(), render(usage.ipv4()), render(usage.ipv6()));
    }

    private static PoolView.Family render(PoolUsage.FamilyUsage usage) {
        return new PoolView.Family(usage.total(), usage.used(), usage.free());
    }
}
