package dev.berth.appliance.state;

import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.source.Observation;
import dev.berth.appliance.validation.Problem;
import dev.berth.appliance.validation.Validator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes every observation a source makes, validates it and puts the admitted Snapshot in force. Sources call
 * {@link #observe} from one thread at a time; readers ({@link #current()}, the admin API) never block.
 * Listeners (the planes, later) hear each new generation after it is published.
 */
public final class ConfigState {
    private static final Logger log = LoggerFactory.getLogger(ConfigState.class);

    private final AtomicReference<ConfigStatus> current = new AtomicReference<>(ConfigStatus.INITIAL);
    private final List<Consumer<ConfigStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public ConfigState(Clock clock) {
        this.clock = clock;
    }

    public ConfigStatus current() {
        return current.get();
    }

    /** Called with every status published from now on, on the source's thread. */
    public void onChange(Consumer<ConfigStatus> listener) {
        listeners.add(listener);
    }

    /**
     * Runs {@code listener} once more with the status in force, never while a generation is being published: for what
     * changes between generations (a replicated allocation table) and has to reach the same listeners in the same order.
     */
    public synchronized void replay(Consumer<ConfigStatus> listener) {
        ConfigStatus status = current.get();
        if (status.generation() > 0) {
            listener.accept(status);
        }
    }

    public synchronized void observe(Observation observation) {
        List<Problem> problems = new ArrayList<>(observation.problems());
        problems.addAll(Validator.validate(observation.snapshot()));
        ConfigStatus before = current.get();
        Optional<Snapshot> admitted = ConfigGate.admit(before.snapshot(), observation.snapshot(), problems);
        ConfigStatus after;
        if (admitted.isEmpty()) {
            after = new ConfigStatus(before.generation(), before.snapshot(), problems, true, before.changedAt());
            log.warn("configuration rejected, generation {} keeps serving: {} problem(s)", before.generation(), problems.size());
        } else if (admitted.get().equals(before.snapshot()) && before.generation() > 0) {
            after = new ConfigStatus(before.generation(), before.snapshot(), problems, false, before.changedAt());
        } else {
            after = new ConfigStatus(before.generation() + 1, admitted.get(), problems, false, clock.instant());
            log.info("generation {}: {} ({} problem(s))", after.generation(), after.snapshot(), problems.size());
        }
        if (!problems.equals(before.problems())) {
            problems.forEach(problem -> log.warn("{} [{}]", problem, problem.effect().description()));
        }
        if (!after.equals(before)) {
            current.set(after);
            listeners.forEach(listener -> listener.accept(after));
        }
    }
}
