package dev.berth.l2.announce;

import static dev.berth.l2.announce.Crafted.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.ffm.SocketFilter;
import dev.berth.l2.frame.ArpFrame;
import dev.berth.l2.frame.NdpFrame;
import org.junit.jupiter.api.Test;

/**
 * Runs the kernel filter program on crafted frames with a small interpreter of the four opcodes it uses, so that a
 * wrong jump offset shows up here rather than as a silent announcer in the lab.
 */
class NeighborQuestionFilterTest {

    @Test
    void acceptsArpRequestsAndReplies() {
        assertThat(accepts(arpRequest(VIP).encode())).isTrue();
        assertThat(accepts(ArpFrame.gratuitous(ArpFrame.REPLY, CLIENT_MAC, CLIENT_IP).encode())).isTrue();
    }

    @Test
    void acceptsNeighbourSolicitationsAndAdvertisements() {
        assertThat(accepts(solicitation(VIP6).encode())).isTrue();
        assertThat(accepts(reachabilityProbe(VIP6).encode())).isTrue();
        assertThat(accepts(NdpFrame.unsolicitedAdvertisement(CLIENT_MAC, CLIENT_IP6).encode())).as("another node's claim").isTrue();
    }

    @Test
    void dropsOtherIcmpv6OtherIpv6AndIpv4() {
        assertThat(accepts(patched(solicitation(VIP6).encode(), 54, 137))).as("redirect").isFalse();
        assertThat(accepts(patched(solicitation(VIP6).encode(), 54, 128))).as("echo request").isFalse();
        byte[] udp = solicitation(VIP6).encode();
        udp[20] = 17;
        assertThat(accepts(udp)).isFalse();
        byte[] ipv4 = arpRequest(VIP).encode();
        ipv4[13] = 0x00;
        assertThat(accepts(ipv4)).isFalse();
    }

    private static boolean accepts(byte[] frame) {
        var program = NeighborQuestionFilter.PROGRAM.instructions();
        int accumulator = 0;
        for (int pc = 0; pc < program.size(); pc++) {
            SocketFilter.Instruction i = program.get(pc);
            switch (i.code()) {
                case SocketFilter.LOAD_HALF_ABSOLUTE -> {
                    if (i.k() + 2 > frame.length) {
                        return false;
                    }
                    accumulator = ((frame[i.k()] & 0xff) << 8) | (frame[i.k() + 1] & 0xff);
                }
                case SocketFilter.LOAD_BYTE_ABSOLUTE -> {
                    if (i.k() + 1 > frame.length) {
                        return false;
                    }
                    accumulator = frame[i.k()] & 0xff;
                }
                case SocketFilter.JUMP_IF_EQUAL -> pc += accumulator == i.k() ? i.jumpIfTrue() : i.jumpIfFalse();
                case SocketFilter.RETURN -> {
                    return i.k() != 0;
                }
                default -> throw new AssertionError("opcode not interpreted: " + i.code());
            }
        }
        throw new AssertionError("program ran off its end");
    }
}
