package dev.berth.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashKeysTest {

    @Test
    void theSameClientAlwaysGetsTheSameKey() {
        assertThat(HashKeys.ofAddress(InetAddress.ofLiteral("192.0.2.7")))
                .isEqualTo(HashKeys.ofAddress(InetAddress.ofLiteral("192.0.2.7")));
        assertThat(HashKeys.ofValue("session=abc")).isEqualTo(HashKeys.ofValue(new StringBuilder("session=abc")));
    }

    @Test
    void neighbouringAddressesLandAllOverTheKeySpace() {
        Set<Long> topBits = new HashSet<>();
        for (int host = 1; host <= 254; host++) {
            topBits.add(HashKeys.ofAddress(InetAddress.ofLiteral("192.0.2." + host)) >>> 48);
        }

        assertThat(topBits).as("distinct top 16 bits of 254 keys (Maglev reads the high bits)").hasSizeGreaterThan(250);
    }

    @Test
    void ipv6ClientsDiffer() {
        assertThat(HashKeys.ofAddress(InetAddress.ofLiteral("2001:db8::1")))
                .isNotEqualTo(HashKeys.ofAddress(InetAddress.ofLiteral("2001:db8::2")));
    }
}
