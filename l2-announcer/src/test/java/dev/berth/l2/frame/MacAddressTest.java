package dev.berth.l2.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MacAddressTest {

    @Test
    void parsesAndPrintsTheFormIpLinkUses() {
        MacAddress mac = MacAddress.parse("02:B0:00:00:00:0a");
        assertThat(mac.value()).isEqualTo(0x02b0_0000_000aL);
        assertThat(mac).hasToString("02:b0:00:00:00:0a");
        assertThat(MacAddress.of(mac.bytes())).isEqualTo(mac);
    }

    @Test
    void groupBitMakesMulticast() {
        assertThat(MacAddress.parse("33:33:ff:00:01:00").isMulticast()).isTrue();
        assertThat(MacAddress.BROADCAST.isMulticast()).isTrue();
        assertThat(MacAddress.parse("02:00:00:00:00:01").isMulticast()).isFalse();
    }

    @Test
    void rejectsWhatIsNotSixBytes() {
        assertThatThrownBy(() -> MacAddress.parse("02:00:00:00:00"))
                .hasMessageContaining("expected: 6");
        assertThatThrownBy(() -> MacAddress.parse("zz:00:00:00:00:00"))
                .hasMessageContaining("expected: six hex bytes");
    }
}
