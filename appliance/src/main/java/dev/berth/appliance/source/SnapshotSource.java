package dev.berth.appliance.source;

import java.util.function.Consumer;

/** A source of observations; it calls the sink from one thread at a time, once at start and on every change. */
public interface SnapshotSource extends AutoCloseable {

    /** Starts observing; returns once the first observation has been delivered. */
    void start(Consumer<Observation> sink) throws Exception;

    /** For logs and the admin API, e.g. {@code manifests /etc/berth/manifests}. */
    String describe();

    @Override
    void close();
}
