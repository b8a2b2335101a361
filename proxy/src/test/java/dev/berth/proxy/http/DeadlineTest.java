package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One deadline serving two timeouts of different lengths (a frontend's keep-alive and response timeouts), and many
 * deadlines of one length sharing their loop's {@link TimeoutQueue}.
 */
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

    @Test
    void deadlinesOfOneLengthExpireInTheOrderTheyWereArmed() throws Exception {
        List<String> expired = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> last = new CompletableFuture<>();
        loop.submit(() -> {
            for (String name : List.of("a", "b", "c")) {
                new Deadline(loop, () -> {
                    expired.add(name);
                    if (name.equals("c")) {
                        last.complete(null);
                    }
                }).arm(Duration.ofMillis(30).toNanos());
            }
        }).sync();
        last.get(5, TimeUnit.SECONDS);
        assertThat(expired).containsExactly("a", "b", "c");
    }

    /** Disarmed, a deadline never fires, while one armed beside it in the same queue does. */
    @Test
    void aDisarmedDeadlineNeverExpires() throws Exception {
        List<String> expired = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> kept = new CompletableFuture<>();
        loop.submit(() -> {
            Deadline disarmed = new Deadline(loop, () -> expired.add("disarmed"));
            disarmed.arm(Duration.ofMillis(20).toNanos());
            new Deadline(loop, () -> kept.complete(null)).arm(Duration.ofMillis(20).toNanos());
            disarmed.disarm();
        }).sync();
        kept.get(5, TimeUnit.SECONDS);
        loop.submit(() -> { }).sync(); // anything due with it has run by now
        assertThat(expired).isEmpty();
    }

    /** The head of a queue taken out: the sweep scheduled for it must still bring the next one on time. */
    @Test
    void takingTheFirstOutLeavesTheNextOnTime() throws Exception {
        CompletableFuture<Long> second = new CompletableFuture<>();
        long[] armedAt = new long[1];
        Deadline[] first = new Deadline[1];
        loop.submit(() -> {
            first[0] = new Deadline(loop, () -> second.completeExceptionally(new AssertionError("the first expired")));
            first[0].arm(Duration.ofMillis(40).toNanos());
        }).sync();
        loop.schedule(() -> {
            armedAt[0] = System.nanoTime();
            new Deadline(loop, () -> second.complete(System.nanoTime())).arm(Duration.ofMillis(40).toNanos());
            first[0].disarm();
        }, 20, TimeUnit.MILLISECONDS).sync();
        long after = second.get(5, TimeUnit.SECONDS) - armedAt[0];
        assertThat(after).isBetween(Duration.ofMillis(35).toNanos(), Duration.ofSeconds(2).toNanos());
    }

    /** One expiry that throws leaves the others in its queue to run (they belong to other connections). */
    @Test
    void anExpiryThatThrowsDoesNotStopTheNext() throws Exception {
        CompletableFuture<Void> next = new CompletableFuture<>();
        loop.submit(() -> {
            new Deadline(loop, () -> {
                throw new IllegalStateException("thrown on purpose by the test");
            }).arm(Duration.ofMillis(10).toNanos());
            new Deadline(loop, () -> next.complete(null)).arm(Duration.ofMillis(10).toNanos());
        }).sync();
        next.get(5, TimeUnit.SECONDS);
    }

    /** An expiry may arm its deadline again (a connection's next keep-alive wait after a timed-out response). */
    @Test
    void anExpiryMayArmItsDeadlineAgain() throws Exception {
        CompletableFuture<Void> thrice = new CompletableFuture<>();
        int[] expiries = new int[1];
        Deadline[] deadline = new Deadline[1];
        loop.submit(() -> {
            deadline[0] = new Deadline(loop, () -> {
                if (++expiries[0] == 3) {
                    thrice.complete(null);
                } else {
                    deadline[0].arm(Duration.ofMillis(10).toNanos());
                }
            });
            deadline[0].arm(Duration.ofMillis(10).toNanos());
        }).sync();
        thrice.get(5, TimeUnit.SECONDS);
        assertThat(expiries[0]).isEqualTo(3);
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
