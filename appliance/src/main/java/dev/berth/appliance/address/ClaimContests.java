package dev.berth.appliance.address;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The bookkeeping of {@link AnnouncePlane}'s contests, without clocks or sockets: an IP this node's view elects here,
 * claimed on the LAN by another node. The caller times the probes; this says when a contest starts, which probe is
 * current, and what its answer (or silence) means. Times are {@code System.nanoTime()} values.
 *
 * <p>Example: {@code claimed(ip, true, t0)} starts a contest (true); {@code probeSent(ip, t1)} returns t1; the other
 * node answers, {@code claimed(ip, true, t2)}; {@code afterProbe(ip, t1)} is {@link Outcome#STILL_ANSWERED}, so probe
 * again later; had it said nothing, {@link Outcome#GONE}: announce the IP again.
 */
final class ClaimContests {

    /** What a probe's wait ended in. */
    enum Outcome {
        /** The other node spoke after the probe went out: leave the clients with it, probe again later. */
        STILL_ANSWERED,
        /** Silence since the probe: the other node is gone, announce the IP again; the contest is over. */
        GONE,
        /** The contest ended meanwhile (the IP went elsewhere, the views merged) or a newer probe is current. */
        OVER
    }

    /** When the current probe was sent (0: none yet) and when the other node last spoke. */
    private record Contest(long probeSentAt, long heardAt) {}

    private final Map<InetAddress, Contest> contests = new HashMap<>();

    /**
     * Another node claimed {@code ip} (or answered a probe for it) at {@code now}; true when that starts a contest: the
     * IP is elected here and was not contested yet.
     */
    boolean claimed(InetAddress ip, boolean electedHere, long now) {
        Contest contest = contests.get(ip);
        if (contest != null) {
            contests.put(ip, new Contest(contest.probeSentAt(), now));
            return false;
        }
        if (!electedHere) {
            return false;
        }
        contests.put(ip, new Contest(0, now));
        return true;
    }

    /** A probe for {@code ip} goes out at {@code now}: its id, or empty when there is no contest for it any more. */
    OptionalLong probeSent(InetAddress ip, long now) {
        Contest contest = contests.get(ip);
        if (contest == null) {
            return OptionalLong.empty();
        }
        contests.put(ip, new Contest(now, contest.heardAt()));
        return OptionalLong.of(now);
    }

    /** The wait for the answer to probe {@code sentAt} is over. */
    Outcome afterProbe(InetAddress ip, long sentAt) {
        Contest contest = contests.get(ip);
        if (contest == null || contest.probeSentAt() != sentAt) {
            return Outcome.OVER;
        }
        if (contest.heardAt() - sentAt > 0) {
            return Outcome.STILL_ANSWERED;
        }
        contests.remove(ip);
        return Outcome.GONE;
    }

    /** Only IPs still elected here can be contested. */
    void retainElected(Set<InetAddress> elected) {
        contests.keySet().retainAll(elected);
    }

    /** Every contest ends: the views merged, or announcing stopped. */
    void clear() {
        contests.clear();
    }

    boolean isContested(InetAddress ip) {
        return contests.containsKey(ip);
    }
}
