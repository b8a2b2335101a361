package dev.berth.l2.announce;

import java.time.Duration;
import java.util.Objects;

/**
 * How loudly the announcer tells the LAN about an address it takes.
 *
 * @param burstCount rounds of gratuitous ARP / unsolicited NA right after taking an address; several, because one
 *     frame can be lost and because Linux ignores a new MAC for an entry updated less than {@code locktime}
 *     (1 s by default) ago, which a failover often is
 * @param burstInterval time between two rounds of the burst
 * @param refreshInterval time between rounds for every owned address afterwards, so switches that age out
 *     their forwarding entries (often after 300 s) keep pointing at this node (MetalLB issue 2910)
 * @param receivePollTimeout how long a receive loop blocks before it looks at whether it should stop; bounds
 *     how long {@link Announcer#close} takes
 */
public record AnnouncerSettings(int burstCount, Duration burstInterval, Duration refreshInterval, Duration receivePollTimeout) {

    public AnnouncerSettings {
        Objects.requireNonNull(burstInterval, "burstInterval");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(receivePollTimeout, "receivePollTimeout");
        if (burstCount < 1) {
            throw new IllegalArgumentException("burstCount: " + burstCount + " (expected: >= 1)");
        }
        if (burstInterval.isNegative() || burstInterval.isZero()) {
            throw new IllegalArgumentException("burstInterval: " + burstInterval + " (expected: > 0)");
        }
        if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("refreshInterval: " + refreshInterval + " (expected: >= 1s)");
        }
        if (receivePollTimeout.isNegative() || receivePollTimeout.isZero()) {
            throw new IllegalArgumentException("receivePollTimeout: " + receivePollTimeout + " (expected: > 0)");
        }
    }

    /** Five rounds over one second, then every 30 seconds; close within 200 ms. */
    public static AnnouncerSettings defaults() {
        return new AnnouncerSettings(5, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMillis(200));
    }
}
