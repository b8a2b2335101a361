package dev.berth.l2.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ArpFrameTest {

    static final MacAddress CLIENT = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress NODE = MacAddress.parse("02:00:00:00:00:11");
    static final Inet4Address CLIENT_IP = (Inet4Address) InetAddress.ofLiteral("192.0.2.2");
    static final Inet4Address VIP = (Inet4Address) InetAddress.ofLiteral("192.0.2.100");

    /** "Who has 192.0.2.100? Tell 192.0.2.2", as tcpdump -xx shows it, field by field. */
    static final byte[] GOLDEN_REQUEST = HexFormat.of().parseHex(
            "ffffffffffff" + "020000000002" + "0806"
                    + "0001" + "0800" + "06" + "04" + "0001"
                    + "020000000002" + "c0000202"
                    + "000000000000" + "c0000264");

    @Test
    void requestEncodesToTheGoldenBytes() {
        assertThat(ArpFrame.request(CLIENT, CLIENT_IP, VIP).encode()).isEqualTo(GOLDEN_REQUEST);
    }

    @Test
    void goldenBytesDecodeToTheRequest() {
        assertThat(ArpFrame.decode(GOLDEN_REQUEST, GOLDEN_REQUEST.length))
                .isEqualTo(Decoded.frame(ArpFrame.request(CLIENT, CLIENT_IP, VIP)));
    }

    @Test
    void replyRoundTripsAndAnswersTheAsker() {
        ArpFrame reply = ArpFrame.reply(ArpFrame.request(CLIENT, CLIENT_IP, VIP), NODE);
        assertThat(reply.ethernetDestination()).isEqualTo(CLIENT);
        assertThat(reply.senderMac()).isEqualTo(NODE);
        assertThat(reply.senderIp()).isEqualTo(VIP);
        assertThat(reply.targetIp()).isEqualTo(CLIENT_IP);
        assertThat(ArpFrame.decode(reply.encode(), ArpFrame.LENGTH)).isEqualTo(Decoded.frame(reply));
    }

    @Test
    void ethernetPaddingIsIgnored() {
        byte[] padded = Arrays.copyOf(GOLDEN_REQUEST, 60);
        assertThat(ArpFrame.decode(padded, 60)).isEqualTo(Decoded.frame(ArpFrame.request(CLIENT, CLIENT_IP, VIP)));
    }

    @Test
    void gratuitousNamesTheAddressTwice() {
        ArpFrame garp = ArpFrame.gratuitous(ArpFrame.REQUEST, NODE, VIP);
        assertThat(garp.isGratuitous()).isTrue();
        assertThat(garp.ethernetDestination()).isEqualTo(MacAddress.BROADCAST);
        assertThat(garp.targetMac()).isEqualTo(MacAddress.ZERO);
        assertThat(ArpFrame.gratuitous(ArpFrame.REPLY, NODE, VIP).targetMac()).isEqualTo(MacAddress.BROADCAST);
    }

    @Test
    void everyShortPrefixIsShortOrTruncatedNeverAnException() {
        for (int length = 0; length < ArpFrame.LENGTH; length++) {
            DecodeFailure expected = length < Ethernet.HEADER_LENGTH ? DecodeFailure.SHORT_FRAME : DecodeFailure.TRUNCATED;
            assertThat(ArpFrame.decode(Arrays.copyOf(GOLDEN_REQUEST, length), length))
                    .as("length %d", length)
                    .isEqualTo(Decoded.failed(expected));
        }
    }

    @Test
    void lengthBeyondTheArrayIsShortNotAnException() {
        assertThat(ArpFrame.decode(new byte[10], 42)).isEqualTo(Decoded.failed(DecodeFailure.SHORT_FRAME));
    }

    @Test
    void otherEtherTypeIsNamed() {
        byte[] ipv4 = GOLDEN_REQUEST.clone();
        ipv4[12] = 0x08;
        ipv4[13] = 0x00;
        assertThat(ArpFrame.decode(ipv4, ipv4.length)).isEqualTo(Decoded.failed(DecodeFailure.WRONG_ETHERTYPE));
    }

    @Test
    void nonEthernetOrNonIpv4ArpIsMalformed() {
        for (int offset : new int[] {15, 17, 18, 19}) {
            byte[] frame = GOLDEN_REQUEST.clone();
            frame[offset] ^= 0x10;
            assertThat(ArpFrame.decode(frame, frame.length)).as("byte %d", offset)
                    .isEqualTo(Decoded.failed(DecodeFailure.MALFORMED));
        }
    }
}
