package dev.berth.l2.announce;

import static dev.berth.l2.announce.Crafted.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.l2.frame.ArpFrame;
import dev.berth.l2.frame.Decoded;
import dev.berth.l2.frame.Ethernet;
import dev.berth.l2.frame.NdpFrame;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnnouncerTest {

    private static final AnnouncerSettings SETTINGS =
            new AnnouncerSettings(5, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMillis(20));

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeChannel channel = new FakeChannel(NODE);
    private final Announcer announcer = Announcer.start(List.of(channel), SETTINGS, scheduler);

    @AfterEach
    void close() {
        announcer.close();
    }

    @Test
    void takingAnAddressSendsFiveRoundsOverOneSecondThenWaitsForTheRefresh() {
        announcer.announce(Set.of(VIP));
        assertThat(gratuitousRounds(channel.drainSent())).as("at once").isEqualTo(1);
        scheduler.advance(Duration.ofMillis(1000));
        assertThat(gratuitousRounds(channel.drainSent())).as("rest of the burst").isEqualTo(4);
        scheduler.advance(Duration.ofMillis(28_999));
        assertThat(channel.drainSent()).as("quiet until the refresh").isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(gratuitousRounds(channel.drainSent())).as("refresh at 30 s").isEqualTo(1);
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(gratuitousRounds(channel.drainSent())).as("and again at 60 s").isEqualTo(1);
    }

    @Test
    void eachRoundIsAGratuitousRequestAndReplyFromOurMac() {
        announcer.announce(Set.of(VIP));
        List<byte[]> round = channel.drainSent();
        assertThat(round).hasSize(2);
        ArpFrame request = decodeArp(round.get(0));
        ArpFrame reply = decodeArp(round.get(1));
        assertThat(request).isEqualTo(ArpFrame.gratuitous(ArpFrame.REQUEST, NODE_MAC, VIP));
        assertThat(reply).isEqualTo(ArpFrame.gratuitous(ArpFrame.REPLY, NODE_MAC, VIP));
    }

    @Test
    void ipv6AddressJoinsItsSolicitedNodeGroupAndSendsAnUnsolicitedAdvertisement() {
        announcer.announce(Set.of(VIP6));
        assertThat(channel.memberships).containsExactly("+ff02:0:0:0:0:1:ff00:100");
        byte[] frame = channel.sent.poll();
        assertThat(NdpFrame.decode(frame, frame.length)).isEqualTo(Decoded.frame(NdpFrame.unsolicitedAdvertisement(NODE_MAC, VIP6)));
        announcer.announce(Set.of());
        assertThat(channel.memberships).containsExactly("+ff02:0:0:0:0:1:ff00:100", "-ff02:0:0:0:0:1:ff00:100");
    }

    @Test
    void withdrawnAddressStopsItsBurstAndItsRefresh() {
        announcer.announce(Set.of(VIP));
        channel.drainSent();
        announcer.announce(Set.of());
        scheduler.advance(Duration.ofSeconds(61));
        assertThat(channel.drainSent()).isEmpty();
    }

    @Test
    void unchangedAddressIsNotAnnouncedAgainWhenAnotherArrives() {
        announcer.announce(Set.of(VIP));
        channel.drainSent();
        scheduler.advance(Duration.ofSeconds(2));
        channel.drainSent();
        announcer.announce(Set.of(VIP, VIP6));
        List<byte[]> sent = channel.drainSent();
        assertThat(sent).hasSize(1).allMatch(f -> Ethernet.etherType(f) == Ethernet.TYPE_IPV6);
    }

    @Test
    void reannounceSendsAFullBurstForOwnedAddressesOnly() {
        announcer.announce(Set.of(VIP, VIP6));
        scheduler.advance(Duration.ofSeconds(2));
        channel.drainSent();
        announcer.reannounce(Set.of(VIP, VIP6, InetAddress.ofLiteral("192.0.2.99")));
        assertThat(channel.drainSent()).as("a round for each at once: ARP request and reply, one advertisement").hasSize(3);
        scheduler.advance(Duration.ofMillis(1000));
        List<byte[]> rest = channel.drainSent();
        assertThat(rest.stream().filter(f -> Ethernet.etherType(f) == Ethernet.TYPE_IPV6)).as("the rest of the IPv6 burst").hasSize(4);
        assertThat(rest).as("and of the IPv4 burst").hasSize(4 + 4 * 2);
    }

    @Test
    void receiveThreadAnswersOwnedAddressesAndCountsTheRest() throws InterruptedException {
        announcer.announce(Set.of(VIP));
        channel.drainSent();
        channel.inbound.add(arpRequest(OTHER_IP).encode());
        channel.inbound.add(arpRequest(VIP).encode());
        byte[] reply = channel.sent.poll(5, TimeUnit.SECONDS);
        assertThat(reply).isNotNull();
        assertThat(decodeArp(reply)).isEqualTo(ArpFrame.reply(arpRequest(VIP), NODE_MAC));
        assertThat(announcer.stats().drops(DropReason.NOT_OWNED)).isEqualTo(1);
        // The loop counts a reply once send() has returned, which is just after the frame reached our queue.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (announcer.stats().replies() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(announcer.stats().replies()).isEqualTo(1);
    }

    @Test
    void claimsHeardOnTheLinkReachTheListener() throws InterruptedException {
        BlockingQueue<InetAddress> claims = new LinkedBlockingQueue<>();
        announcer.onClaim(claims::add);
        announcer.announce(Set.of(VIP));
        channel.inbound.add(arpRequest(VIP).encode());
        channel.inbound.add(ArpFrame.gratuitous(ArpFrame.REQUEST, CLIENT_MAC, VIP).encode());
        assertThat(claims.poll(5, TimeUnit.SECONDS)).isEqualTo(VIP);
        assertThat(claims).as("the question was no claim").isEmpty();
    }

    @Test
    void closeStopsTheThreadAndClosesTheChannel() {
        announcer.close();
        assertThat(channel.closed).isTrue();
        assertThatThrownBy(() -> announcer.announce(Set.of(VIP))).hasMessageContaining("closed");
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(channel.drainSent()).isEmpty();
    }

    private static int gratuitousRounds(List<byte[]> frames) {
        assertThat(frames).allSatisfy(f -> assertThat(decodeArp(f).isGratuitous()).isTrue());
        assertThat(frames.size() % 2).isZero();
        return frames.size() / 2;
    }

    private static ArpFrame decodeArp(byte[] frame) {
        return ((Decoded.Frame<ArpFrame>) ArpFrame.decode(frame, frame.length)).value();
    }
}
