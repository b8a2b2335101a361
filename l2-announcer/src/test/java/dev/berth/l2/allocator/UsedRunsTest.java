package dev.berth.l2.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.pool.AddressRange;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The run-length set of used addresses that keeps memory proportional to allocations. */
class UsedRunsTest {

    private static final AddressRange SLASH_24 = AddressRange.parse("192.0.2.0/24");
    private static final BigInteger BASE = SLASH_24.first();

    private static BigInteger at(int offset) {
        return BASE.add(BigInteger.valueOf(offset));
    }

    @Test
    void adjacentAddressesMergeIntoOneRunAndSplitWhenTheMiddleLeaves() {
        UsedRuns runs = new UsedRuns();
        runs.add(at(0));
        runs.add(at(2));
        runs.add(at(1));

        assertThat(runs.lowestFree(SLASH_24, false)).contains(at(3));

        runs.remove(at(1));

        assertThat(runs.contains(at(0))).isTrue();
        assertThat(runs.contains(at(1))).isFalse();
        assertThat(runs.contains(at(2))).isTrue();
        assertThat(runs.lowestFree(SLASH_24, false)).contains(at(1));
        assertThat(runs.countIn(SLASH_24)).isEqualTo(BigInteger.TWO);
    }

    @Test
    void lowestFreeJumpsOverRunsAndAvoidedAddresses() {
        UsedRuns runs = new UsedRuns();
        for (int i = 1; i < 255; i++) {
            runs.add(at(i));
        }
        AddressRange twoBlocks = AddressRange.parse("192.0.2.0/23");

        assertThat(runs.lowestFree(twoBlocks, false)).contains(at(0));
        assertThat(runs.lowestFree(twoBlocks, true)).contains(at(257));
        assertThat(runs.lowestFree(SLASH_24, true)).isEqualTo(Optional.empty());
    }

    @Test
    void countInCountsOnlyTheOverlap() {
        UsedRuns runs = new UsedRuns();
        for (int i = 10; i < 20; i++) {
            runs.add(at(i));
        }

        assertThat(runs.countIn(AddressRange.parse("192.0.2.15-192.0.2.40"))).isEqualTo(BigInteger.valueOf(5));
        assertThat(runs.countIn(AddressRange.parse("192.0.2.0-192.0.2.12"))).isEqualTo(BigInteger.valueOf(3));
        assertThat(runs.countIn(AddressRange.parse("192.0.2.20/30"))).isEqualTo(BigInteger.ZERO);
    }

    @Test
    void buggyAddressesAreCountedWithoutEnumerating() {
        assertThat(UsedRuns.buggyCount(AddressRange.parse("192.0.2.0/24"))).isEqualTo(BigInteger.TWO);
        assertThat(UsedRuns.buggyCount(AddressRange.parse("10.0.0.0/8"))).isEqualTo(BigInteger.valueOf(2 * 65536));
        assertThat(UsedRuns.buggyCount(AddressRange.parse("192.0.2.1-192.0.2.254"))).isEqualTo(BigInteger.ZERO);
        assertThat(UsedRuns.buggyCount(AddressRange.parse("198.51.100.255-198.51.101.0"))).isEqualTo(BigInteger.TWO);
    }

    @Test
    void anIpv6SlashSixtyFourNeedsOneRunPerBlockOfAllocations() {
        AddressRange slash64 = AddressRange.parse("2001:db8::/64");
        UsedRuns runs = new UsedRuns();
        for (int i = 0; i < 1000; i++) {
            runs.add(slash64.first().add(BigInteger.valueOf(i)));
        }

        assertThat(runs.lowestFree(slash64, false)).contains(slash64.first().add(BigInteger.valueOf(1000)));
        assertThat(runs.countIn(slash64)).isEqualTo(BigInteger.valueOf(1000));
    }
}
