package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One deadline serving two timeouts of different lengths (a frontend's keep-alive and response timeouts). */
@Timeout(10)
class DeadlineTest {
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** A check pending for a long deadline must not delay a shorter one armed after it. */
    @Test
    void aDeadlineMovedEarlierExpiresAtTheEarlierTime() throws Exception {
        CompletableFuture<Long> expired = new CompletableFuture<>();
        long[] armedAt = new long[1];
        loop.submit(() -> {
            Deadline deadline = new Deadline(loop, () -> expired.complete(System.nanoTime()));
            deadline.arm(Duration.ofSeconds(30).toNanos());
            armedAt[0] = System.nanoTime();
            deadline.arm(Duration.ofMillis(50).toNanos());
        }).sync();

        long after = expired.get(5, TimeUnit.SECONDS) - armedAt[0];
        assertThat(after).isBetween(Duration.ofMillis(40).toNanos(), Duration.ofSeconds(2).toNanos());
    }

    /** A deadline moved later is not fired by the check scheduled for its earlier time. */
    @Test
    void aDeadlineMovedLaterExpiresAtTheLaterTime() throws Exception {
        CompletableFuture<Long> expired = new CompletableFuture<>();
        long[] armedAt = new long[1];
        loop.submit(() -> {
            Deadline deadline = new Deadline(loop, () -> expired.complete(System.nanoTime()));
            deadline.arm(Duration.ofMillis(20).toNanos());
            armedAt[0] = System.nanoTime();
            deadline.arm(Duration.ofMillis(300).toNanos());
        }).sync();

        long after = expired.get(5, TimeUnit.SECONDS) - armedAt[0];
        assertThat(after).isGreaterThanOrEqualTo(Duration.ofMillis(290).toNanos());
    }
}
