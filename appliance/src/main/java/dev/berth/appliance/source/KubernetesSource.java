package dev.berth.appliance.source;

import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.snapshot.TlsSecret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Kubernetes mode's source: one fabric8 shared informer per kind, cluster-wide. Handlers only signal the
 * coalescer; each observation is built from the informers' caches, so a burst of a thousand updates is one
 * Snapshot. Starts once every informer has synced, or fails saying which kinds did not (usually a missing
 * CRD or missing RBAC).
 */
public final class KubernetesSource implements SnapshotSource {
    private final KubernetesClient client;
    private final Duration quiet;
    private final Duration maxDelay;
    private final Duration syncTimeout;
    private final Scheduler scheduler = Scheduler.singleThread("berth-kubernetes");
    private final Map<Kind, SharedIndexInformer<? extends HasMetadata>> informers = new EnumMap<>(Kind.class);

    public KubernetesSource(KubernetesClient client, Duration quiet, Duration maxDelay, Duration syncTimeout) {
        this.client = client;
        this.quiet = quiet;
        this.maxDelay = maxDelay;
        this.syncTimeout = syncTimeout;
    }

    @Override
    public void start(Consumer<Observation> sink) throws InterruptedException {
        Coalescer coalescer = new Coalescer(quiet, maxDelay, () -> sink.accept(observe()), scheduler);
        ResourceEventHandler<HasMetadata> handler = new SignalingHandler(coalescer);
        Map<Kind, CompletableFuture<Void>> synced = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            SharedIndexInformer<? extends HasMetadata> informer = informer(kind.type(), kind.namespaced());
            addHandler(informer, handler);
            informers.put(kind, informer);
            synced.put(kind, informer.start().toCompletableFuture());
        }
        awaitSync(synced);
        CompletableFuture<Void> first = new CompletableFuture<>();
        scheduler.schedule(Duration.ZERO, () -> {
            sink.accept(observe());
            first.complete(null);
        });
        first.join();
    }

    /**
     * Secrets are watched only if they are TLS Secrets (a field selector on {@code type}): Berth reads no other kind,
     * and a cluster's other Secrets (service account tokens, Helm releases) would cost memory and hold credentials it
     * has no use for.
     */
    private <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type, boolean namespaced) {
        var resources = client.resources(type);
        if (type == Secret.class) {
            return resources.inAnyNamespace().withField("type", TlsSecret.TYPE).runnableInformer(0);
        }
        return namespaced ? resources.inAnyNamespace().runnableInformer(0) : resources.runnableInformer(0);
    }

    @SuppressWarnings("unchecked") // the handler only signals; it never looks at the object's type
    private static <T extends HasMetadata> void addHandler(SharedIndexInformer<T> informer, ResourceEventHandler<HasMetadata> handler) {
        informer.addEventHandler((ResourceEventHandler<T>) (ResourceEventHandler<?>) handler);
    }

    private void awaitSync(Map<Kind, CompletableFuture<Void>> synced) throws InterruptedException {
        long deadline = System.nanoTime() + syncTimeout.toNanos();
        List<String> failed = new ArrayList<>();
        for (var entry : synced.entrySet()) {
            try {
                entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                failed.add(entry.getKey() + " (not synced within " + syncTimeout.toSeconds() + " s)");
            } catch (ExecutionException e) {
                failed.add(entry.getKey() + " (" + ManifestReader.firstLine(e.getCause().getMessage()) + ")");
            }
        }
        if (!failed.isEmpty()) {
            close();
            throw new IllegalStateException("cannot watch " + String.join(", ", failed)
                    + " (expected: Berth's CRDs and RBAC installed, see deploy/)");
        }
    }

    private Observation observe() {
        Map<Kind, List<? extends HasMetadata>> objects = new EnumMap<>(Kind.class);
        informers.forEach((kind, informer) -> objects.put(kind, informer.getStore().list()));
        return new Observation(Snapshot.of(objects), List.of(), 0);
    }

    @Override
    public String describe() {
        return "kubernetes " + client.getConfiguration().getMasterUrl();
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::stop);
        scheduler.close();
    }

    /** Informer handlers only signal: all reading happens in {@link #observe()}, from the caches. */
    private record SignalingHandler(Coalescer coalescer) implements ResourceEventHandler<HasMetadata> {
        @Override
        public void onAdd(HasMetadata object) {
            coalescer.signal();
        }

        @Override
        public void onUpdate(HasMetadata before, HasMetadata after) {
            coalescer.signal();
        }

        @Override
        public void onDelete(HasMetadata object, boolean finalStateUnknown) {
            coalescer.signal();
        }
    }

}
