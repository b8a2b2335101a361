package dev.berth.l2.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetnsLabTest {

    @BeforeAll
    static void needsRootAndNetns() {
        assumeTrue(NetnsLab.available(), "needs root and `ip netns` (iproute2)");
        assumeTrue(Commands.installed("arping"), "needs arping (Debian iputils-arping)");
    }

    @Test
    void clientReachesEveryNodeOverTheBridgeAndCloseRemovesEverything() throws IOException {
        List<String> made;
        try (NetnsLab lab = NetnsLab.create(2)) {
            made = lab.namespaces();
            assertThat(made).hasSize(4).allMatch(name -> name.startsWith("berth-"));
            for (NetnsLab.Member node : lab.nodes()) {
                // The node's own kernel answers for its own address: proof that the bridge carries frames.
                CommandResult arping = lab.run(lab.client().namespace(), Duration.ofSeconds(10),
                        "arping", "-c", "1", "-w", "3", "-I", NetnsLab.INTERFACE, node.ipv4());
                assertThat(arping.succeeded()).as(arping.toString()).isTrue();
                assertThat(arping.output().toLowerCase(java.util.Locale.ROOT)).contains(node.mac().toString());
                CommandResult link = lab.exec(node.namespace(), "ip", "-br", "link", "show", NetnsLab.INTERFACE);
                assertThat(link.output()).contains(node.mac().toString());
            }
            CommandResult rootLinks = Commands.check(List.of("ip", "-br", "link"));
            assertThat(rootLinks.output()).as("nothing of the lab in the root namespace").doesNotContain("p-node", "br0");
        }
        String left = Commands.check(List.of("ip", "netns", "list")).output();
        for (String namespace : made) {
            assertThat(left).doesNotContain(namespace);
        }
    }

    @Test
    void failureInsideTheTryStillRemovesTheNamespaces() throws IOException {
        List<String> made = null;
        try (NetnsLab lab = NetnsLab.create(1)) {
            made = lab.namespaces();
            throw new IllegalStateException("simulated test failure");
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("simulated test failure");
        }
        String left = Commands.check(List.of("ip", "netns", "list")).output();
        assertThat(made).isNotNull().allSatisfy(namespace -> assertThat(left).doesNotContain(namespace));
    }
}
