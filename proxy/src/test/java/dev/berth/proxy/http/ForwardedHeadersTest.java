package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {
    private final ForwardedHeaders untrusting = new ForwardedHeaders(List.of());

    private static HttpHeaders apply(ForwardedHeaders forwarded, InetSocketAddress peer, String host, HttpHeaders headers) {
        forwarded.apply(headers, peer, "http", host, 80);
        return headers;
    }

    @Test
    void eachRequestOfAConnectionAndEachNewClientGetsItsOwnValues() {
        InetSocketAddress alice = new InetSocketAddress("192.0.2.10", 40000);
        InetSocketAddress bob = new InetSocketAddress("2001:db8::7", 40001);

        HttpHeaders first = apply(untrusting, alice, "shop.example.com", new DefaultHttpHeaders());
        HttpHeaders second = apply(untrusting, alice, "blog.example.com", new DefaultHttpHeaders());
        HttpHeaders third = apply(untrusting, bob, null, new DefaultHttpHeaders());
        HttpHeaders fourth = apply(untrusting, alice, "blog.example.com", new DefaultHttpHeaders());

        assertThat(first.get("x-forwarded-for")).isEqualTo("192.0.2.10");
        assertThat(first.get("forwarded")).isEqualTo("for=192.0.2.10;proto=http;host=\"shop.example.com\"");
        assertThat(second.get("forwarded")).isEqualTo("for=192.0.2.10;proto=http;host=\"blog.example.com\"");
        assertThat(third.get("x-forwarded-for")).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(third.get("forwarded")).isEqualTo("for=\"[2001:db8:0:0:0:0:0:7]\";proto=http");
        assertThat(third.contains("x-forwarded-host")).isFalse();
        assertThat(fourth.get("forwarded")).isEqualTo(second.get("forwarded"));
        assertThat(fourth.get("x-forwarded-port")).isEqualTo("80");
    }

    /** A new connection from the last client's IP reuses its values; one from another IP gets its own. */
    @Test
    void aNewConnectionFromTheSameAddressGetsTheSameValues() {
        HttpHeaders first = apply(untrusting, new InetSocketAddress("192.0.2.20", 40000), "shop.example.com", new DefaultHttpHeaders());
        HttpHeaders again = apply(untrusting, new InetSocketAddress("192.0.2.20", 40001), "shop.example.com", new DefaultHttpHeaders());
        HttpHeaders other = apply(untrusting, new InetSocketAddress("192.0.2.21", 40001), "shop.example.com", new DefaultHttpHeaders());

        assertThat(again.get("x-forwarded-for")).isEqualTo(first.get("x-forwarded-for")).isEqualTo("192.0.2.20");
        assertThat(again.get("forwarded")).isEqualTo("for=192.0.2.20;proto=http;host=\"shop.example.com\"");
        assertThat(other.get("x-forwarded-for")).isEqualTo("192.0.2.21");
        assertThat(other.get("forwarded")).isEqualTo("for=192.0.2.21;proto=http;host=\"shop.example.com\"");
    }

    @Test
    void headersFromAnUntrustedClientAreReplacedAndFromATrustedProxyAppendedTo() {
        InetSocketAddress proxy = new InetSocketAddress("198.51.100.5", 40000);
        HttpHeaders forged = new DefaultHttpHeaders().add("X-Forwarded-For", "6.6.6.6").add("Forwarded", "for=6.6.6.6");
        HttpHeaders relayed = new DefaultHttpHeaders().add("X-Forwarded-For", "192.0.2.1").add("Forwarded", "for=192.0.2.1");

        apply(untrusting, proxy, "shop.example.com", forged);
        apply(new ForwardedHeaders(List.of("198.51.100.0/24")), proxy, "shop.example.com", relayed);

        assertThat(forged.get("x-forwarded-for")).isEqualTo("198.51.100.5");
        assertThat(forged.getAll("forwarded")).containsExactly("for=198.51.100.5;proto=http;host=\"shop.example.com\"");
        assertThat(relayed.get("x-forwarded-for")).isEqualTo("192.0.2.1, 198.51.100.5");
        assertThat(relayed.get("forwarded")).isEqualTo("for=192.0.2.1, for=198.51.100.5;proto=http;host=\"shop.example.com\"");
    }
}
