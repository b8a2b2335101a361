package dev.berth.appliance.address;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes mode: exactly one replica allocates, the one holding the coordination.k8s.io Lease
 * {@code berth-allocator} (fabric8's LeaderElector). The others stand by, ready to take over; the Lease is
 * released on a clean stop so that hand-over does not wait for it to expire.
 */
public final class AllocatorLease implements BooleanSupplier, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AllocatorLease.class);
    static final String LEASE = "berth-allocator";

    private final KubernetesClient client;
    private final LeaderElectionConfig config;
    private volatile boolean leading;
    private CompletableFuture<?> running;

    /**
     * @param onStartLeading runs (on the elector's thread) each time this replica becomes the allocator
     */
    public AllocatorLease(KubernetesClient client, String namespace, String identity, Duration leaseDuration, Runnable onStartLeading) {
        this.client = client;
        Duration renewDeadline = leaseDuration.multipliedBy(2).dividedBy(3);
        Duration retryPeriod = leaseDuration.dividedBy(5);
        this.config = new LeaderElectionConfig(new LeaseLock(namespace, LEASE, identity), leaseDuration, renewDeadline, retryPeriod,
                new LeaderCallbacks(() -> {
                    leading = true;
                    log.info("{} now allocates (holds Lease {}/{})", identity, namespace, LEASE);
                    onStartLeading.run();
                }, () -> {
                    leading = false;
                    log.info("{} stopped allocating", identity);
                }, leader -> log.info("allocator is now {}", leader)),
                true, LEASE);
    }

    public void start() {
        running = client.leaderElector().withConfig(config).build().start();
    }

    /** Whether this replica holds the Lease right now. */
    @Override
    public boolean getAsBoolean() {
        return leading;
    }

    @Override
    public void close() {
        if (running != null) {
            running.cancel(true); // releaseOnCancel: the Lease is given up for the next replica at once
        }
        leading = false;
    }
}
