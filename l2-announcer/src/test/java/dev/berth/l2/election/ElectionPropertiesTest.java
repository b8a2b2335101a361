package dev.berth.l2.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random node sets and addresses: the owner depends on the set only, and only losing the owner moves an IP. */
class ElectionPropertiesTest {

    @Property(tries = 1_000)
    void theOwnerDependsOnTheSetNotItsOrder(@ForAll("nodes") Set<String> nodes, @ForAll("ips") InetAddress ip,
            @ForAll Random random) {
        List<String> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, random);
        assertThat(Election.owner(ip, shuffled)).isEqualTo(Election.owner(ip, nodes));
        assertThat(Election.ranking(ip, shuffled)).isEqualTo(Election.ranking(ip, nodes));
    }

    @Property(tries = 1_000)
    void onlyLosingTheOwnerMovesTheIp(@ForAll("nodes") Set<String> nodes, @ForAll("ips") InetAddress ip) {
        String owner = Election.owner(ip, nodes).orElseThrow();
        for (String gone : nodes) {
            List<String> survivors = nodes.stream().filter(node -> !node.equals(gone)).toList();
            // The runner-up takes over (nobody, if the owner was alone); anyone else leaving changes nothing.
            Optional<String> expected = gone.equals(owner)
                    ? Election.ranking(ip, nodes).stream().skip(1).findFirst()
                    : Optional.of(owner);
            assertThat(Election.owner(ip, survivors)).isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<Set<String>> nodes() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-', '.').ofMinLength(1).ofMaxLength(20)
                .set().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<InetAddress> ips() {
        Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
        Arbitrary<byte[]> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16);
        return Arbitraries.oneOf(v4, v6).map(ElectionPropertiesTest::address);
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
