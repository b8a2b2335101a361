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
        long after = expiryAfterArming(Duration.ofSeconds(30), Duration.ofMillis(50));
        assertThat(after).isBetween(Duration.ofMillis(40).toNanos(), Duration.ofSeconds(2).toNanos());
    }

    /** A deadline moved later is not fired by the check scheduled for its earlier time. */
    @Test
    void aDeadlineMovedLaterExpiresAtTheLaterTime() throws Exception {
        long after = expiryAfterArming(Duration.ofMillis(20), Duration.ofMillis(300));
        assertThat(after).isGreaterThanOrEqualTo(Duration.ofMillis(290).toNanos());
    }

    /** Arms a deadline with {@code first}, then at once with {@code second}: nanoseconds from the second to expiry. */
    private long expiryAfterArming(Duration first, Duration second) throws Exception {
        CompletableFuture<Long> expired = new CompletableFuture<>();
        long[] armedAt = new long[1];
        loop.submit(() -> {
            Deadline deadline = new Deadline(loop, () -> expired.complete(System.nanoTime()));
            deadline.arm(first.toNanos());
            armedAt[0] = System.nanoTime();
            deadline.arm(second.toNanos());
        }).sync();
        return expired.get(5, TimeUnit.SECONDS) - armedAt[0];
    }
}
