package dev.berth.l2.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTest {

    @Test
    void ipv4CidrCoversItsBlock() {
        AddressRange range = AddressRange.parse("192.0.2.0/28");
        assertThat(range.family()).isEqualTo(IpFamily.IPV4);
        assertThat(range.size()).isEqualTo(BigInteger.valueOf(16));
        assertThat(range.toString()).isEqualTo("192.0.2.0-192.0.2.15");
    }

    @Test
    void ipv6SlashSixtyFourIsJustTwoNumbers() {
        AddressRange range = AddressRange.parse("2001:db8::/64");
        assertThat(range.family()).isEqualTo(IpFamily.IPV6);
        assertThat(range.size()).isEqualTo(BigInteger.ONE.shiftLeft(64));
        assertThat(range.contains(InetAddress.ofLiteral("2001:db8::ffff"))).isTrue();
        assertThat(range.contains(InetAddress.ofLiteral("2001:db8:0:1::"))).isFalse();
    }

    @Test
    void dashRangeIsInclusive() {
        AddressRange range = AddressRange.parse("192.0.2.10 - 192.0.2.20");
        assertThat(range.size()).isEqualTo(BigInteger.valueOf(11));
        assertThat(range.contains(InetAddress.ofLiteral("192.0.2.20"))).isTrue();
        assertThat(range.contains(InetAddress.ofLiteral("192.0.2.21"))).isFalse();
    }

    @Test
    void singleAddressCidr() {
        assertThat(AddressRange.parse("198.51.100.7/32").size()).isEqualTo(BigInteger.ONE);
    }

    @Test
    void prefixLongerThanTheFamilyIsRejected() {
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33"))
                .hasMessage("'10.0.0.0/33': prefix length 33 is out of range for IPv4 (expected: 0..32)");
    }

    @Test
    void rangeWhoseEndPrecedesItsStartIsRejected() {
        assertThatThrownBy(() -> AddressRange.parse("192.0.2.20-192.0.2.10"))
                .hasMessage("'192.0.2.20-192.0.2.10': end 192.0.2.10 precedes start 192.0.2.20 (expected: start <= end)");
    }

    @Test
    void hostBitsSetNamesTheNetworkMeant() {
        assertThatThrownBy(() -> AddressRange.parse("192.0.2.5/24"))
                .hasMessageContaining("(expected: 192.0.2.0/24)");
    }

    @Test
    void hostNamesAreNotResolved() {
        assertThatThrownBy(() -> AddressRange.parse("localhost/32"))
                .hasMessageContaining("'localhost' is not an IP address");
    }

    @Test
    void mixedFamiliesAreRejected() {
        assertThatThrownBy(() -> AddressRange.parse("192.0.2.1-2001:db8::1")).hasMessageContaining("mixes IPv4 and IPv6");
    }

    @Test
    void neitherCidrNorRange() {
        assertThatThrownBy(() -> AddressRange.parse("192.0.2.1")).hasMessageContaining("is neither a CIDR nor a range");
    }

    @Test
    void overlapIsPerFamilyAndInclusive() {
        AddressRange a = AddressRange.parse("192.0.2.0/28");
        assertThat(a.overlaps(AddressRange.parse("192.0.2.15-192.0.2.20"))).isTrue();
        assertThat(a.overlaps(AddressRange.parse("192.0.2.16/28"))).isFalse();
        assertThat(a.overlaps(AddressRange.parse("2001:db8::/120"))).isFalse();
    }
}
