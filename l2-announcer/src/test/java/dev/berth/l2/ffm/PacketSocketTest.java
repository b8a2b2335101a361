package dev.berth.l2.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What can be checked without opening a raw socket, so it runs anywhere (also in the root namespace): the
 * failure is reported before {@code socket(2)} is called. Real sockets are exercised by the lab tests only.
 */
class PacketSocketTest {

    @Test
    void unknownInterfaceNamesTheCallAndTheErrno() {
        assertThatThrownBy(() -> PacketSocket.open("berth-none0", null))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.call()).isEqualTo("if_nametoindex(berth-none0)");
                    assertThat(e.errno()).isEqualTo(ErrnoException.ENODEV);
                })
                .hasMessage("if_nametoindex(berth-none0): ENODEV (No such device)");
    }

    @Test
    void interfaceNameLongerThanTheKernelAllowsIsRejectedBeforeAnyCall() {
        assertThatThrownBy(() -> PacketSocket.open("sixteen-chars-xx", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: 1..15 characters");
    }
}
