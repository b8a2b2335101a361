package dev.berth.l2.announce;

import static dev.berth.l2.announce.Crafted.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.frame.ArpFrame;
import dev.berth.l2.frame.Decoded;
import dev.berth.l2.frame.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArpResponderTest {

    @Test
    void requestForOwnedIpIsAnsweredWithOurMacToTheAsker() {
        byte[] request = arpRequest(VIP).encode();
        ArpFrame reply = replyTo(request, OWNED);
        assertThat(reply).isEqualTo(new ArpFrame(CLIENT_MAC, NODE_MAC, ArpFrame.REPLY, NODE_MAC, VIP, CLIENT_MAC, CLIENT_IP));
    }

    @Test
    void requestUnicastToOurMacIsAnswered() {
        ArpFrame unicast = new ArpFrame(NODE_MAC, CLIENT_MAC, ArpFrame.REQUEST, CLIENT_MAC, CLIENT_IP, NODE_MAC, VIP);
        assertThat(replyTo(unicast.encode(), OWNED).senderMac()).isEqualTo(NODE_MAC);
    }

    @Test
    void addressProbeFromZeroIsAnsweredToDefendTheAddress() {
        Inet4Address zero = (Inet4Address) InetAddress.ofLiteral("0.0.0.0");
        ArpFrame probe = ArpFrame.request(CLIENT_MAC, zero, VIP);
        ArpFrame reply = replyTo(probe.encode(), OWNED);
        assertThat(reply.ethernetDestination()).isEqualTo(CLIENT_MAC);
        assertThat(reply.senderIp()).isEqualTo(VIP);
    }

    @Test
    void sameRequestIsDroppedOnceTheIpIsGone() {
        Verdict verdict = ArpResponder.INSTANCE.respond(arpRequest(VIP).encode(), ArpFrame.LENGTH, NODE, Set.of());
        assertThat(verdict).isEqualTo(Verdict.drop(DropReason.NOT_OWNED));
    }

    @Test
    void replyCarriesTheReceivingInterfacesMac() {
        Link other = new Link("eth1", 3, MacAddress.parse("02:b0:00:00:01:11"));
        Verdict verdict = ArpResponder.INSTANCE.respond(arpRequest(VIP).encode(), ArpFrame.LENGTH, other, OWNED);
        byte[] frame = ((Verdict.Reply) verdict).frame();
        assertThat(MacAddress.read(frame, 6)).isEqualTo(other.mac());
    }

    private static ArpFrame replyTo(byte[] request, Set<InetAddress> owned) {
        Verdict verdict = ArpResponder.INSTANCE.respond(request, request.length, NODE, owned);
        assertThat(verdict).isInstanceOf(Verdict.Reply.class);
        byte[] frame = ((Verdict.Reply) verdict).frame();
        return ((Decoded.Frame<ArpFrame>) ArpFrame.decode(frame, frame.length)).value();
    }
}
