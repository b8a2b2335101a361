package dev.berth.l2.announce;

import static dev.berth.l2.announce.Crafted.NODE_MAC;
import static dev.berth.l2.announce.Crafted.VIP;
import static dev.berth.l2.announce.Crafted.VIP6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.frame.ArpFrame;
import dev.berth.l2.frame.Decoded;
import dev.berth.l2.frame.MacAddress;
import dev.berth.l2.frame.NdpFrame;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An owner that heard another node claim its address asks who answers for it: the other owner's responder answers
 * the probe to the asker alone, the answer counts as that node's claim, and no frame of the exchange is one that
 * makes neighbours change their tables (which would move the clients at every probe).
 */
class ProbeTest {
    private static final Link OTHER_NODE = new Link("eth0", 2, MacAddress.parse("02:b0:00:00:00:12"));

    @Test
    void anArpProbeIsAnsweredToTheAskerAloneAndTheAnswerClaimsTheAddress() {
        byte[] probe = Announcements.probe(NODE_MAC, VIP);
        ArpFrame asked = ((Decoded.Frame<ArpFrame>) ArpFrame.decode(probe, probe.length)).value();
        assertThat(asked.senderIp().isAnyLocalAddress()).as("sender 0.0.0.0: no neighbour learns from it").isTrue();
        assertThat(Claims.of(probe, probe.length, OTHER_NODE.mac())).as("a question claims nothing").isEmpty();

        Verdict verdict = ArpResponder.INSTANCE.respond(probe, probe.length, OTHER_NODE, Set.of(VIP));
        byte[] answer = ((Verdict.Reply) verdict).frame();
        ArpFrame reply = ((Decoded.Frame<ArpFrame>) ArpFrame.decode(answer, answer.length)).value();
        assertThat(reply.ethernetDestination()).isEqualTo(NODE_MAC);
        assertThat(Claims.of(answer, answer.length, NODE_MAC)).contains(VIP);
    }

    @Test
    void anIpv6ProbeComesFromOurLinkLocalAddressAndIsAnsweredByUnicast() {
        assertThat(NdpFrame.linkLocal(NODE_MAC)).isEqualTo(InetAddress.ofLiteral("fe80::b0:ff:fe00:11"));
        byte[] probe = Announcements.probe(NODE_MAC, VIP6);
        assertThat(Claims.of(probe, probe.length, OTHER_NODE.mac())).as("a question claims nothing").isEmpty();

        Verdict verdict = NdpResponder.INSTANCE.respond(probe, probe.length, OTHER_NODE, Set.of(VIP6));
        byte[] answer = ((Verdict.Reply) verdict).frame();
        NdpFrame advertisement = ((Decoded.Frame<NdpFrame>) NdpFrame.decode(answer, answer.length)).value();
        assertThat(advertisement.ethernetDestination()).as("to us, not to all nodes (a DAD probe's answer would be)").isEqualTo(NODE_MAC);
        assertThat(advertisement.ipDestination()).isEqualTo(NdpFrame.linkLocal(NODE_MAC));
        assertThat(Claims.of(answer, answer.length, NODE_MAC)).contains(VIP6);
    }

    @Test
    void nobodyAnswersAProbeForAnAddressItDoesNotOwn() {
        byte[] probe = Announcements.probe(NODE_MAC, VIP);
        assertThat(ArpResponder.INSTANCE.respond(probe, probe.length, OTHER_NODE, Set.of())).isEqualTo(Verdict.drop(DropReason.NOT_OWNED));
    }
}
