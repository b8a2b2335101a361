package dev.berth.appliance.address;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.appliance.address.ClaimContests.Outcome;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClaimContestsTest {
    private static final InetAddress VIP = InetAddress.ofLiteral("192.0.2.200");
    private static final InetAddress OTHER = InetAddress.ofLiteral("192.0.2.201");

    private final ClaimContests contests = new ClaimContests();

    @Test
    void aClaimOfAnIpElectedHereStartsOneContestAndOfAnyOtherIpNone() {
        assertThat(contests.claimed(OTHER, false, 10)).as("not elected here: a hand-over or someone else's IP").isFalse();
        assertThat(contests.isContested(OTHER)).isFalse();
        assertThat(contests.claimed(VIP, true, 10)).isTrue();
        assertThat(contests.claimed(VIP, true, 20)).as("the burst's next frames start nothing new").isFalse();
        assertThat(contests.isContested(VIP)).isTrue();
    }

    @Test
    void aClaimantThatAnswersTheProbeKeepsTheClientsAndIsProbedAgain() {
        contests.claimed(VIP, true, 10);
        long first = contests.probeSent(VIP, 100).orElseThrow();
        contests.claimed(VIP, true, 101); // its answer
        assertThat(contests.afterProbe(VIP, first)).isEqualTo(Outcome.STILL_ANSWERED);

        long second = contests.probeSent(VIP, 1_000).orElseThrow();
        assertThat(contests.afterProbe(VIP, second)).as("silence since the second probe").isEqualTo(Outcome.GONE);
        assertThat(contests.isContested(VIP)).isFalse();
    }

    @Test
    void aClaimHeardOnlyBeforeTheProbeIsNoAnswer() {
        contests.claimed(VIP, true, 10);
        long sentAt = contests.probeSent(VIP, 100).orElseThrow();
        assertThat(contests.afterProbe(VIP, sentAt)).isEqualTo(Outcome.GONE);
    }

    @Test
    void anIpLostMeanwhileOrAMergeEndsTheContestAndItsProbes() {
        contests.claimed(VIP, true, 10);
        long sentAt = contests.probeSent(VIP, 100).orElseThrow();
        contests.retainElected(Set.of(OTHER));
        assertThat(contests.afterProbe(VIP, sentAt)).isEqualTo(Outcome.OVER);
        assertThat(contests.probeSent(VIP, 200)).isEmpty();

        contests.claimed(VIP, true, 300);
        contests.clear();
        assertThat(contests.probeSent(VIP, 400)).isEmpty();
    }

    @Test
    void onlyTheLatestProbeDecides() {
        contests.claimed(VIP, true, 10);
        long older = contests.probeSent(VIP, 100).orElseThrow();
        contests.probeSent(VIP, 200);
        assertThat(contests.afterProbe(VIP, older)).isEqualTo(Outcome.OVER);
        assertThat(contests.isContested(VIP)).isTrue();
    }
}
