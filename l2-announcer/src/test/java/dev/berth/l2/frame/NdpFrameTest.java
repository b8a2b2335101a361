package dev.berth.l2.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.frame.NdpMessage.NeighborAdvertisement;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NdpFrameTest {

    static final MacAddress CLIENT = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress NODE = MacAddress.parse("02:00:00:00:00:11");
    static final Inet6Address CLIENT_IP = (Inet6Address) InetAddress.ofLiteral("2001:db8::2");
    static final Inet6Address VIP = (Inet6Address) InetAddress.ofLiteral("2001:db8::100");

    /**
     * NS from 2001:db8::2 for 2001:db8::100 with a source link-layer option. The checksum 0x1a29 was computed
     * outside this code base (a ten-line Python sum over the pseudo-header), not by {@link Icmpv6Checksum}.
     */
    static final byte[] GOLDEN_SOLICITATION = HexFormat.of().parseHex(
            "3333ff000100" + "020000000002" + "86dd"
                    + "60000000" + "0020" + "3a" + "ff"
                    + "20010db8000000000000000000000002"
                    + "ff0200000000000000000001ff000100"
                    + "87" + "00" + "1a29" + "00000000"
                    + "20010db8000000000000000000000100"
                    + "01" + "01" + "020000000002");

    @Test
    void solicitationEncodesToTheGoldenBytes() {
        assertThat(HexFormat.of().formatHex(NdpFrame.solicitation(CLIENT, CLIENT_IP, VIP).encode()))
                .isEqualTo(HexFormat.of().formatHex(GOLDEN_SOLICITATION));
    }

    @Test
    void goldenBytesDecodeToTheSolicitation() {
        assertThat(NdpFrame.decode(GOLDEN_SOLICITATION, GOLDEN_SOLICITATION.length))
                .isEqualTo(Decoded.frame(NdpFrame.solicitation(CLIENT, CLIENT_IP, VIP)));
    }

    @Test
    void solicitedNodeGroupTakesTheLow24Bits() {
        Inet6Address address = (Inet6Address) InetAddress.ofLiteral("2001:db8::1:abcd:ef12");
        assertThat(Ipv6Multicast.solicitedNode(address)).isEqualTo(InetAddress.ofLiteral("ff02::1:ffcd:ef12"));
        assertThat(Ipv6Multicast.solicitedNodeMac(address)).isEqualTo(MacAddress.parse("33:33:ff:cd:ef:12"));
        assertThat(Ipv6Multicast.mac(Ipv6Multicast.ALL_NODES)).isEqualTo(MacAddress.parse("33:33:00:00:00:01"));
    }

    @Test
    void unsolicitedAdvertisementRoundTripsWithOverrideAndNotSolicited() {
        NdpFrame advertisement = NdpFrame.unsolicitedAdvertisement(NODE, VIP);
        byte[] bytes = advertisement.encode();
        assertThat(bytes).hasSize(14 + 40 + 32);
        assertThat(bytes[54] & 0xff).isEqualTo(136);
        assertThat(bytes[58] & 0xff).as("flags R S O").isEqualTo(0x20);
        assertThat(Icmpv6Checksum.compute(bytes, 22, 54, 32)).as("sum over a checksummed message").isZero();
        assertThat(NdpFrame.decode(bytes, bytes.length)).isEqualTo(Decoded.frame(advertisement));
        assertThat(advertisement.message())
                .isEqualTo(new NeighborAdvertisement(VIP, false, false, true, Optional.of(NODE)));
    }

    @Test
    void everyShortPrefixEndsInANamedFailure() {
        for (int length = 0; length < GOLDEN_SOLICITATION.length; length++) {
            DecodeFailure expected = length < Ethernet.HEADER_LENGTH ? DecodeFailure.SHORT_FRAME : DecodeFailure.TRUNCATED;
            assertThat(NdpFrame.decode(Arrays.copyOf(GOLDEN_SOLICITATION, length), length))
                    .as("length %d", length)
                    .isEqualTo(Decoded.failed(expected));
        }
    }

    @Test
    void anyFlippedBitInTheMessageFailsTheChecksum() {
        for (int offset = 54; offset < GOLDEN_SOLICITATION.length; offset++) {
            if (offset == 54) {
                continue; // the type byte: flipping it makes another ICMPv6 type
            }
            byte[] frame = GOLDEN_SOLICITATION.clone();
            frame[offset] ^= 0x04;
            assertThat(NdpFrame.decode(frame, frame.length)).as("byte %d", offset)
                    .isEqualTo(Decoded.failed(DecodeFailure.BAD_CHECKSUM));
        }
    }

    @Test
    void zeroLengthOptionIsMalformed() {
        byte[] frame = withChecksum(GOLDEN_SOLICITATION.clone(), 79, (byte) 0);
        assertThat(NdpFrame.decode(frame, frame.length)).isEqualTo(Decoded.failed(DecodeFailure.MALFORMED));
    }

    @Test
    void optionRunningPastThePayloadIsMalformed() {
        byte[] frame = withChecksum(GOLDEN_SOLICITATION.clone(), 79, (byte) 2);
        assertThat(NdpFrame.decode(frame, frame.length)).isEqualTo(Decoded.failed(DecodeFailure.MALFORMED));
    }

    @Test
    void otherNextHeaderOrIcmpTypeIsNamed() {
        byte[] udp = GOLDEN_SOLICITATION.clone();
        udp[20] = 17;
        assertThat(NdpFrame.decode(udp, udp.length)).isEqualTo(Decoded.failed(DecodeFailure.NOT_ICMPV6));
        byte[] echo = withChecksum(GOLDEN_SOLICITATION.clone(), 54, (byte) 128);
        assertThat(NdpFrame.decode(echo, echo.length)).isEqualTo(Decoded.failed(DecodeFailure.NOT_NEIGHBOR_DISCOVERY));
    }

    @Test
    void wrongIpVersionIsMalformed() {
        byte[] frame = GOLDEN_SOLICITATION.clone();
        frame[14] = 0x40;
        assertThat(NdpFrame.decode(frame, frame.length)).isEqualTo(Decoded.failed(DecodeFailure.MALFORMED));
    }

    /** Sets one byte and recomputes the checksum, to reach the checks that come after it. */
    static byte[] withChecksum(byte[] frame, int offset, byte value) {
        frame[offset] = value;
        frame[56] = 0;
        frame[57] = 0;
        int length = ((frame[18] & 0xff) << 8) | (frame[19] & 0xff);
        int checksum = Icmpv6Checksum.compute(frame, 22, 54, length);
        frame[56] = (byte) (checksum >>> 8);
        frame[57] = (byte) checksum;
        return frame;
    }
}
