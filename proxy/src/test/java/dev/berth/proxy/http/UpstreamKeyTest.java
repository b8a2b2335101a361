package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UpstreamKeyTest {
    private static final InetSocketAddress POD = new InetSocketAddress("10.1.2.3", 8443);

    @Test
    void tlsAndPlainConnectionsToOneEndpointArePooledApart() {
        assertThat(UpstreamKey.tls(POD, "shop.example.com")).isNotEqualTo(UpstreamKey.plain(POD));
        assertThat(UpstreamKey.tls(POD, "shop.example.com")).isNotEqualTo(UpstreamKey.tls(POD, "blog.example.com"));
        assertThat(UpstreamKey.tls(POD, "Shop.Example.com:8080")).isEqualTo(UpstreamKey.tls(POD, "shop.example.com"));
    }

    @Test
    void sniCarriesHostNamesOnly() {
        assertThat(UpstreamTls.serverName("shop.example.com:443")).isEqualTo("shop.example.com");
        assertThat(UpstreamTls.serverName("shop.example.com.")).isEqualTo("shop.example.com");
        assertThat(UpstreamTls.serverName("192.0.2.7:80")).isEmpty();
        assertThat(UpstreamTls.serverName("[2001:db8::7]:80")).isEmpty();
        assertThat(UpstreamTls.serverName("localhost")).isEmpty();
        assertThat(UpstreamTls.serverName(null)).isEmpty();
    }
}
