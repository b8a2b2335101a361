package dev.berth.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proxy.config.ProxyProtocol;
import dev.berth.proxy.config.TcpConfig;
import dev.berth.proxy.config.TcpService;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TCP config records refuse what the data plane could not serve, saying what was expected. */
class TcpConfigTest {
    private static final InetSocketAddress LISTEN = new InetSocketAddress("127.0.0.1", 5432);

    @Test
    void cidrWithoutPrefixLengthIsRefused() {
        assertThatThrownBy(() -> new TcpService("a/b:1", LISTEN, "round-robin", List.of(), ProxyProtocol.NONE, List.of("10.0.0.1")))
                .hasMessageContaining("'10.0.0.1'").hasMessageContaining("expected: a CIDR");
    }

    @Test
    void prefixLongerThanTheAddressIsRefused() {
        assertThatThrownBy(() -> new TcpService("a/b:1", LISTEN, "round-robin", List.of(), ProxyProtocol.NONE, List.of("10.0.0.0/33")))
                .hasMessageContaining("expected: a prefix length 0-32");
    }

    @Test
    void hostNameAsListenAddressIsRefused() {
        assertThatThrownBy(() -> TcpService.plain("a/b:1", InetSocketAddress.createUnresolved("db.example", 5432), "round-robin", List.of()))
                .hasMessageContaining("expected: an IP address");
    }

    @Test
    void twoServicesOnOneAddressAreRefused() {
        assertThatThrownBy(() -> new TcpConfig(1, List.of(TcpService.plain("a/b:1", LISTEN, "round-robin", List.of()),
                TcpService.plain("a/c:1", LISTEN, "round-robin", List.of()))))
                .hasMessageContaining("'a/b:1' and 'a/c:1'").hasMessageContaining("expected: one service per address and port");
    }

    @Test
    void duplicateNamesAreRefused() {
        assertThatThrownBy(() -> new TcpConfig(1, List.of(TcpService.plain("a/b:1", LISTEN, "round-robin", List.of()),
                TcpService.plain("a/b:1", new InetSocketAddress("127.0.0.1", 0), "round-robin", List.of()))))
                .hasMessageContaining("expected: unique names");
    }
}
