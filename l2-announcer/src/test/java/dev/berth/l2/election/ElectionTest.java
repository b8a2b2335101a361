package dev.berth.l2.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rendezvous election: agreement from the same view, minimal movement when a node goes, an even spread. */
class ElectionTest {

    private static final List<String> FIVE_NODES = List.of("node-a", "node-b", "node-c", "node-d", "node-e");

    @Test
    void scoreIsPinnedSoThatEveryVersionAgrees() {
        // Computed independently: python3 -c "import hashlib; print(hashlib.sha256(bytes([4,192,0,2,10]) + b'node-a').hexdigest()[:16])"
        assertThat(Election.score("node-a", ip("192.0.2.10"))).isEqualTo(0xd92f97e96b24a500L);
        assertThat(Election.score("node-b", ip("2001:db8::100"))).isEqualTo(0x4e47e1296054ec03L);
    }

    @Test
    void noEligibleNodeMeansNoOwner() {
        assertThat(Election.owner(ip("192.0.2.10"), List.of())).isEmpty();
        assertThat(Election.ranking(ip("192.0.2.10"), Set.of())).isEmpty();
        Map<InetAddress, Set<String>> eligible = Map.of(ip("192.0.2.10"), Set.of(), ip("192.0.2.11"), Set.of("node-a"));
        assertThat(Election.owners(eligible)).containsExactly(Map.entry(ip("192.0.2.11"), "node-a"));
    }

    @Test
    void aSingleEligibleNodeOwnsTheIp() {
        assertThat(Election.owner(ip("2001:db8::1"), List.of("node-c"))).contains("node-c");
    }

    @Test
    void everyOrderingOfTheSameNodesElectsTheSameOwner() {
        Random random = new Random(6);
        for (InetAddress ip : addresses(200)) {
            String owner = Election.owner(ip, FIVE_NODES).orElseThrow();
            List<String> shuffled = new ArrayList<>(FIVE_NODES);
            for (int i = 0; i < 10; i++) {
                Collections.shuffle(shuffled, random);
                assertThat(Election.owner(ip, shuffled)).contains(owner);
            }
            assertThat(Election.owner(ip, new HashSet<>(FIVE_NODES))).contains(owner);
            assertThat(Election.owner(ip, new TreeSet<>(FIVE_NODES).descendingSet())).contains(owner);
            List<String> withDuplicates = new ArrayList<>(FIVE_NODES);
            withDuplicates.addAll(FIVE_NODES);
            assertThat(Election.owner(ip, withDuplicates)).contains(owner);
        }
    }

    @Test
    void rankingStartsWithTheOwnerAndNamesEveryNodeOnce() {
        for (InetAddress ip : addresses(100)) {
            List<String> ranking = Election.ranking(ip, List.of("node-e", "node-a", "node-c", "node-a"));
            assertThat(ranking).containsExactlyInAnyOrder("node-a", "node-c", "node-e");
            assertThat(ranking.getFirst()).isEqualTo(Election.owner(ip, Set.of("node-a", "node-c", "node-e")).orElseThrow());
        }
    }

    @Test
    void removingANodeThatOwnsNothingMovesNoIp() {
        Map<InetAddress, String> before = Election.owners(eligibleEverywhere(addresses(2_000), FIVE_NODES));
        for (String gone : FIVE_NODES) {
            List<String> survivors = FIVE_NODES.stream().filter(node -> !node.equals(gone)).toList();
            Map<InetAddress, String> after = Election.owners(eligibleEverywhere(addresses(2_000), survivors));
            before.forEach((ip, owner) -> {
                if (!owner.equals(gone)) {
                    assertThat(after.get(ip)).as("%s lost %s, which it did not own", gone, ip).isEqualTo(owner);
                }
            });
        }
    }

    @Test
    void removingTheOwnerMovesOnlyItsIpsEachToItsRunnerUp() {
        List<InetAddress> ips = addresses(2_000);
        Map<InetAddress, String> before = Election.owners(eligibleEverywhere(ips, FIVE_NODES));
        String gone = "node-c";
        List<String> survivors = FIVE_NODES.stream().filter(node -> !node.equals(gone)).toList();
        Map<InetAddress, String> after = Election.owners(eligibleEverywhere(ips, survivors));

        long moved = ips.stream().filter(ip -> !before.get(ip).equals(after.get(ip))).count();
        long ownedByGone = before.values().stream().filter(gone::equals).count();
        assertThat(moved).isEqualTo(ownedByGone).isPositive();
        for (InetAddress ip : ips) {
            if (before.get(ip).equals(gone)) {
                assertThat(after.get(ip)).isEqualTo(Election.ranking(ip, FIVE_NODES).get(1));
            }
        }
    }

    @Test
    void tenThousandIpsSpreadEvenlyOverFiveNodes() {
        for (List<InetAddress> ips : List.of(addresses(10_000), addresses6(10_000))) {
            Map<String, Long> perNode = Election.owners(eligibleEverywhere(ips, FIVE_NODES)).values().stream()
                    .collect(Collectors.groupingBy(node -> node, Collectors.counting()));
            System.out.println("IPs per node: " + perNode);
            assertThat(perNode).hasSize(5);
            // 2,000 each expected; ±5 % is about ±2.5 standard deviations of a fair draw.
            assertThat(perNode.values()).allSatisfy(count -> assertThat(count).isBetween(1_900L, 2_100L));
        }
    }

    @Test
    void ownedByPartitionsTheIpsAmongTheNodes() {
        Map<InetAddress, List<String>> eligible = new LinkedHashMap<>();
        List<InetAddress> ips = addresses(500);
        for (int i = 0; i < ips.size(); i++) {
            // Different eligibility per IP, as node selectors and externalTrafficPolicy: Local produce.
            eligible.put(ips.get(i), FIVE_NODES.subList(i % 3, FIVE_NODES.size() - i % 2));
        }
        Set<InetAddress> union = new HashSet<>();
        for (String node : FIVE_NODES) {
            Set<InetAddress> owned = Election.ownedBy(node, eligible);
            assertThat(owned).as("no IP owned twice").noneMatch(union::contains);
            owned.forEach(ip -> assertThat(eligible.get(ip)).contains(node));
            union.addAll(owned);
        }
        assertThat(union).containsExactlyInAnyOrderElementsOf(ips);
        assertThat(Election.ownedBy("not-a-member", eligible)).isEmpty();
    }

    @Test
    void anIpv4AndAnIpv6AddressAreDifferentIpsEvenWithTheSameBytesInside() {
        // ::c000:20a ends in the bytes of 192.0.2.10; the family byte keeps their scores apart.
        assertThat(Election.score("node-a", ip("::c000:20a"))).isNotEqualTo(Election.score("node-a", ip("192.0.2.10")));
    }

    @Test
    void ownersLeavesItsInputAlone() {
        Map<InetAddress, Set<String>> eligible = new HashMap<>(Map.of(ip("192.0.2.10"), Set.of("node-a", "node-b")));
        Map<InetAddress, Set<String>> copy = Map.copyOf(eligible);
        Election.owners(eligible);
        assertThat(eligible).isEqualTo(copy);
    }

    private static Map<InetAddress, List<String>> eligibleEverywhere(List<InetAddress> ips, List<String> nodes) {
        Map<InetAddress, List<String>> eligible = new LinkedHashMap<>();
        ips.forEach(ip -> eligible.put(ip, nodes));
        return eligible;
    }

    /** Consecutive IPv4 addresses from 10.0.0.0, as a pool hands them out (pure computation, nothing is sent). */
    private static List<InetAddress> addresses(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> ip("10.0." + (i >> 8) + "." + (i & 0xff)))
                .toList();
    }

    private static List<InetAddress> addresses6(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> ip("2001:db8::" + Integer.toHexString(i)))
                .toList();
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
