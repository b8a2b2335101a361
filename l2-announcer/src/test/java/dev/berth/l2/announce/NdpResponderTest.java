package dev.berth.l2.announce;

import static dev.berth.l2.announce.Crafted.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.frame.Decoded;
import dev.berth.l2.frame.Ipv6Multicast;
import dev.berth.l2.frame.NdpFrame;
import dev.berth.l2.frame.NdpMessage.NeighborAdvertisement;
import dev.berth.l2.frame.NdpMessage.NeighborSolicitation;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NdpResponderTest {

    private static final NeighborAdvertisement SOLICITED =
            new NeighborAdvertisement(VIP6, false, true, true, Optional.of(NODE_MAC));

    @Test
    void multicastSolicitationIsAnsweredSolicitedAndOverridingToTheAsker() {
        NdpFrame reply = replyTo(solicitation(VIP6).encode());
        assertThat(reply).isEqualTo(new NdpFrame(CLIENT_MAC, NODE_MAC, VIP6, CLIENT_IP6, 255, SOLICITED));
    }

    @Test
    void unicastReachabilityProbeIsAnsweredLikeTheMulticastOne() {
        NdpFrame reply = replyTo(reachabilityProbe(VIP6).encode());
        assertThat(reply).isEqualTo(new NdpFrame(CLIENT_MAC, NODE_MAC, VIP6, CLIENT_IP6, 255, SOLICITED));
    }

    @Test
    void probeWithoutLinkOptionIsAnsweredToTheEthernetSource() {
        NdpFrame probe = new NdpFrame(NODE_MAC, CLIENT_MAC, CLIENT_IP6, VIP6, 255,
                new NeighborSolicitation(VIP6, Optional.empty()));
        assertThat(replyTo(probe.encode()).ethernetDestination()).isEqualTo(CLIENT_MAC);
    }

    @Test
    void duplicateAddressProbeIsAnsweredToAllNodesNotSolicited() {
        NdpFrame reply = replyTo(duplicateAddressProbe(VIP6).encode());
        assertThat(reply.ipDestination()).isEqualTo(Ipv6Multicast.ALL_NODES);
        assertThat(reply.ethernetDestination()).isEqualTo(Ipv6Multicast.mac(Ipv6Multicast.ALL_NODES));
        assertThat(reply.message()).isEqualTo(new NeighborAdvertisement(VIP6, false, false, true, Optional.of(NODE_MAC)));
    }

    private static NdpFrame replyTo(byte[] solicitation) {
        Verdict verdict = NdpResponder.INSTANCE.respond(solicitation, solicitation.length, NODE, OWNED);
        assertThat(verdict).isInstanceOf(Verdict.Reply.class);
        byte[] frame = ((Verdict.Reply) verdict).frame();
        // Decoding checks the checksum, so this also proves the reply's checksum is right.
        return ((Decoded.Frame<NdpFrame>) NdpFrame.decode(frame, frame.length)).value();
    }
}
