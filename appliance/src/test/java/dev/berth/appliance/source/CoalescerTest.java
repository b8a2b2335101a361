package dev.berth.appliance.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescerTest {
    private static final Duration QUIET = Duration.ofMillis(100);
    private static final Duration MAX_DELAY = Duration.ofMillis(500);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final AtomicInteger runs = new AtomicInteger();
    private final Coalescer coalescer = new Coalescer(QUIET, MAX_DELAY, runs::incrementAndGet, scheduler);

    @Test
    void aThousandSignalsAtOnceAreOneRun() {
        for (int i = 0; i < 1000; i++) {
            coalescer.signal();
        }
        scheduler.advance(Duration.ofMillis(99));
        assertThat(runs).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(runs).hasValue(1);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(runs).hasValue(1);
    }

    @Test
    void theRunWaitsForQuiet() {
        coalescer.signal();
        scheduler.advance(Duration.ofMillis(80));
        coalescer.signal();
        scheduler.advance(Duration.ofMillis(80));
        assertThat(runs).hasValue(0);
        scheduler.advance(Duration.ofMillis(20));
        assertThat(runs).hasValue(1);
    }

    @Test
    void aSteadyStreamStillRunsByTheMaximumDelay() {
        for (int elapsed = 0; elapsed < 500; elapsed += 50) {
            coalescer.signal();
            scheduler.advance(Duration.ofMillis(50));
        }
        assertThat(runs).hasValue(1);
    }

    @Test
    void aSignalAfterARunCausesAnotherRun() {
        coalescer.signal();
        scheduler.advance(QUIET);
        coalescer.signal();
        scheduler.advance(QUIET);
        assertThat(runs).hasValue(2);
    }

    @Test
    void quietLongerThanTheMaximumIsRefused() {
        assertThatThrownBy(() -> new Coalescer(MAX_DELAY, QUIET, () -> { }, scheduler))
                .hasMessage("quiet PT0.5S, maxDelay PT0.1S (expected: 0 <= quiet <= maxDelay)");
    }
}
