package dev.berth.l2.announce;

import static dev.berth.l2.announce.Crafted.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.l2.frame.ArpFrame;
import dev.berth.l2.frame.NdpFrame;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClaimsTest {

    private static final InetAddress ANY = InetAddress.ofLiteral("0.0.0.0");

    @Test
    void gratuitousArpFromAnotherMacClaimsItsAddress() {
        assertThat(Claims.of(ArpFrame.gratuitous(ArpFrame.REQUEST, CLIENT_MAC, VIP).encode(), ArpFrame.LENGTH, NODE_MAC)).contains(VIP);
        assertThat(Claims.of(ArpFrame.gratuitous(ArpFrame.REPLY, CLIENT_MAC, VIP).encode(), ArpFrame.LENGTH, NODE_MAC)).contains(VIP);
    }

    @Test
    void neighbourAdvertisementFromAnotherMacClaimsItsTarget() {
        byte[] frame = NdpFrame.unsolicitedAdvertisement(CLIENT_MAC, VIP6).encode();
        assertThat(Claims.of(frame, frame.length, NODE_MAC)).contains(VIP6);
    }

    @Test
    void ourOwnAnnouncementsClaimNothing() {
        assertThat(Claims.of(ArpFrame.gratuitous(ArpFrame.REQUEST, NODE_MAC, VIP).encode(), ArpFrame.LENGTH, NODE_MAC)).isEmpty();
        byte[] frame = NdpFrame.unsolicitedAdvertisement(NODE_MAC, VIP6).encode();
        assertThat(Claims.of(frame, frame.length, NODE_MAC)).isEmpty();
    }

    @Test
    void questionsProbesAndBrokenFramesClaimNothing() {
        assertThat(Claims.of(arpRequest(VIP).encode(), ArpFrame.LENGTH, NODE_MAC)).as("an ordinary request").isEmpty();
        byte[] probe = ArpFrame.request(CLIENT_MAC, (Inet4Address) ANY, (Inet4Address) ANY).encode();
        assertThat(Claims.of(probe, probe.length, NODE_MAC)).as("sender 0.0.0.0").isEmpty();
        byte[] solicitation = solicitation(VIP6).encode();
        assertThat(Claims.of(solicitation, solicitation.length, NODE_MAC)).as("a solicitation").isEmpty();
        byte[] garp = ArpFrame.gratuitous(ArpFrame.REQUEST, CLIENT_MAC, VIP).encode();
        assertThat(Claims.of(garp, 20, NODE_MAC)).as("truncated").isEmpty();
        assertThat(Claims.of(Arrays.copyOf(garp, 10), 10, NODE_MAC)).as("shorter than a header").isEmpty();
    }
}
