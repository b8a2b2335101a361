package dev.berth.l2.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.l2.lab.ChildJvm;
import dev.berth.l2.lab.CommandResult;
import dev.berth.l2.lab.Commands;
import dev.berth.l2.lab.NetnsLab;
import dev.berth.l2.lab.NetnsLab.Member;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The announcer against real peers: it runs in a child JVM inside a node namespace of a {@link NetnsLab}, and the
 * client namespace's kernel, {@code arping} and {@code ndisc6} judge the result. The test JVM opens no raw socket.
 */
class AnnouncerLabTest {

    private static final String VIP = "192.0.2.100";
    private static final String VIP6 = "2001:db8::100";
    private static final String STALE_MAC = "02:b0:00:00:00:99";
    private static final Pattern ARPING_REPLY = Pattern.compile("reply from " + Pattern.quote(VIP) + " \\[([0-9a-f:]+)\\]");

    @BeforeAll
    static void needsTheLab() {
        assumeTrue(NetnsLab.available(), "needs root and `ip netns` (iproute2)");
        assumeTrue(Commands.installed("arping"), "needs arping (Debian iputils-arping)");
        assumeTrue(Commands.installed("ndisc6"), "needs ndisc6 (Debian ndisc6)");
    }

    @Test
    void ownerAnswersArpAndNdpWithItsMacAndItsBurstMovesTheClientsNeighbourEntries() throws Exception {
        try (NetnsLab lab = NetnsLab.create(2)) {
            Member client = lab.client();
            Member owner = lab.nodes().getFirst();
            // The kernel (arp_accept=0) lets gratuitous ARP update an entry, never create one; so the client
            // starts with a stale entry pointing elsewhere, as after a failover.
            lab.exec(client.namespace(), "ip", "neigh", "replace", VIP, "lladdr", STALE_MAC, "dev", NetnsLab.INTERFACE, "nud", "stale");
            lab.exec(client.namespace(), "ip", "-6", "neigh", "replace", VIP6, "lladdr", STALE_MAC, "dev", NetnsLab.INTERFACE, "nud", "stale");

            ChildJvm announcer = lab.startJava(owner.namespace(), AnnouncerChild.class, NetnsLab.INTERFACE, "5", "200", "30000");
            String ready = announcer.expect("ready ", Duration.ofSeconds(30));
            assertThat(ready).as("MAC read with SIOCGIFHWADDR").isEqualTo("ready " + owner.mac());

            long announcedAt = System.nanoTime();
            announcer.send("announce " + VIP + " " + VIP6);
            announcer.expect("announced 2", Duration.ofSeconds(10));
            long ipv4Moved = awaitNeighbour(lab, client, VIP, owner, announcedAt);
            long ipv6Moved = awaitNeighbour(lab, client, VIP6, owner, announcedAt);
            System.out.printf("client neighbour entry moved to the owner: IPv4 %d ms, IPv6 %d ms after announce()%n",
                    ipv4Moved, ipv6Moved);

            assertOnlyOwnerAnswers(lab, client, owner, 3);

            CommandResult ndisc = lab.run(client.namespace(), Duration.ofSeconds(15),
                    "ndisc6", "-1", "-r", "3", "-w", "1000", VIP6, NetnsLab.INTERFACE);
            assertThat(ndisc.succeeded()).as(ndisc + "\nchild:\n" + announcer.stderr()).isTrue();
            assertThat(ndisc.output().toLowerCase(Locale.ROOT)).as(ndisc.toString())
                    .contains("target link-layer address: " + owner.mac());

            // The VIP's solicited-node group is on the link (veths pass all multicast anyway, so ndisc6 alone
            // would not prove it; a real NIC filters) and joined at the IPv6 layer, which sends MLD reports.
            String groups = lab.exec(owner.namespace(), "ip", "maddr", "show", "dev", NetnsLab.INTERFACE).output();
            assertThat(groups).contains("link  33:33:ff:00:01:00").contains("inet6 ff02::1:ff00:100");

            announcer.send("stats");
            System.out.println(announcer.expect("stats ", Duration.ofSeconds(5)));

            // A closed announcer must fall silent: nobody answers any more.
            announcer.close();
            CommandResult silence = lab.run(client.namespace(), Duration.ofSeconds(10),
                    "arping", "-c", "1", "-w", "2", "-I", NetnsLab.INTERFACE, VIP);
            assertThat(silence.succeeded()).as(silence.toString()).isFalse();
            assertThat(lab.exec(owner.namespace(), "ip", "maddr", "show", "dev", NetnsLab.INTERFACE).output())
                    .as("memberships gone with the sockets").doesNotContain("33:33:ff:00:01:00", "ff02::1:ff00:100");
        }
    }

    @Test
    void handoverToAnotherNodeMovesTheClientWithinTheBurst() throws Exception {
        try (NetnsLab lab = NetnsLab.create(2)) {
            Member client = lab.client();
            Member first = lab.nodes().get(0);
            Member second = lab.nodes().get(1);
            ChildJvm firstAnnouncer = lab.startJava(first.namespace(), AnnouncerChild.class, NetnsLab.INTERFACE, "5", "200", "30000");
            ChildJvm secondAnnouncer = lab.startJava(second.namespace(), AnnouncerChild.class, NetnsLab.INTERFACE, "5", "200", "30000");
            firstAnnouncer.expect("ready ", Duration.ofSeconds(30));
            secondAnnouncer.expect("ready ", Duration.ofSeconds(30));

            firstAnnouncer.send("announce " + VIP);
            firstAnnouncer.expect("announced 1", Duration.ofSeconds(10));
            // The client's kernel resolves the VIP the ordinary way (arping would bypass its table): one UDP
            // datagram makes it ask, the first owner's responder answers, and the entry is fresh at handover.
            long askedAt = System.nanoTime();
            lab.exec(client.namespace(), "bash", "-c", "echo probe > /dev/udp/" + VIP + "/9");
            long resolved = awaitNeighbour(lab, client, VIP, first, askedAt);
            System.out.printf("client kernel resolved the VIP through the responder in %d ms%n", resolved);

            long handoverAt = System.nanoTime();
            firstAnnouncer.send("announce");
            secondAnnouncer.send("announce " + VIP);
            secondAnnouncer.expect("announced 1", Duration.ofSeconds(10));
            long moved = awaitNeighbour(lab, client, VIP, second, handoverAt);
            System.out.printf("handover: client neighbour entry moved to the new owner %d ms after announce()%n", moved);
            assertOnlyOwnerAnswers(lab, client, second, 3);
        }
    }

    @Test
    void withoutCapNetRawTheAnnouncerSaysWhatItNeeds() throws Exception {
        assumeTrue(Commands.installed("setpriv"), "needs setpriv (Debian util-linux)");
        try (NetnsLab lab = NetnsLab.create(1)) {
            ChildJvm announcer = lab.startJava(lab.nodes().getFirst().namespace(),
                    List.of("setpriv", "--bounding-set=-net_raw"), AnnouncerChild.class,
                    NetnsLab.INTERFACE, "5", "200", "30000");
            String error = announcer.expect("error ", Duration.ofSeconds(30));
            assertThat(error).isEqualTo("error socket(AF_PACKET, SOCK_RAW): EPERM (Operation not permitted); "
                    + "AF_PACKET sockets need root or CAP_NET_RAW in this network namespace");
            assertThat(announcer.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(announcer.process().exitValue()).isEqualTo(2);
        }
    }

    /** {@code arping -c count}: every reply, and at least {@code count}, carries the owner's MAC. */
    private static void assertOnlyOwnerAnswers(NetnsLab lab, Member client, Member owner, int count) throws IOException {
        CommandResult arping = lab.run(client.namespace(), Duration.ofSeconds(15),
                "arping", "-c", String.valueOf(count), "-w", "10", "-I", NetnsLab.INTERFACE, VIP);
        assertThat(arping.succeeded()).as(arping.toString()).isTrue();
        Matcher replies = ARPING_REPLY.matcher(arping.output().toLowerCase(Locale.ROOT));
        int seen = 0;
        while (replies.find()) {
            assertThat(replies.group(1)).as("every ARP reply from the owner; " + arping).isEqualTo(owner.mac().toString());
            seen++;
        }
        assertThat(seen).as(arping.toString()).isGreaterThanOrEqualTo(count);
    }

    /** Polls the client's neighbour table until {@code ip} maps to the owner's MAC; returns ms since {@code since}. */
    private static long awaitNeighbour(NetnsLab lab, Member client, String ip, Member owner, long since)
            throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        CommandResult last;
        do {
            last = lab.exec(client.namespace(), "ip", "neigh", "show", ip, "dev", NetnsLab.INTERFACE);
            if (last.output().contains("lladdr " + owner.mac())) {
                return Duration.ofNanos(System.nanoTime() - since).toMillis();
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("client's neighbour entry for " + ip + " never became " + owner.mac() + ": " + last);
    }
}
