package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

    @Test
    void connectionAndEveryHeaderItNamesGoWhatTheEndToEndHeadersStay() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "keep-alive ,X-Secret,  close")
                .add("Connection", "x-other")
                .add("X-Secret", "1").add("X-Other", "2").add("Keep-Alive", "timeout=5").add("TE", "trailers")
                .add("Transfer-Encoding", "chunked").add("Upgrade", "websocket").add("Proxy-Authorization", "x")
                .add("Host", "shop.example.com").add("Accept", "*/*");

        HopByHopHeaders.remove(headers, false);

        assertThat(headers.names()).containsExactlyInAnyOrder("Host", "Accept");
    }

    @Test
    void anUpgradePassedThroughKeepsUpgradeAndConnectionUpgradeOnly() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "Upgrade, keep-alive").add("Upgrade", "websocket").add("Keep-Alive", "timeout=5");

        HopByHopHeaders.remove(headers, true);

        assertThat(headers.get("Connection")).isEqualTo("upgrade");
        assertThat(headers.get("Upgrade")).isEqualTo("websocket");
        assertThat(headers.contains("Keep-Alive")).isFalse();
    }

    @Test
    void namesAreMatchedWhateverTheirCaseAndOnlyWhole() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("CONNECTION", "X-Named").add("x-named", "1").add("tE", "trailers").add("Trailers", "kept")
                .add("Transfer-Encodings", "kept").add("Proxy-Authorization", "x").add("Upgrade-Insecure-Requests", "1");

        HopByHopHeaders.remove(headers, false);

        assertThat(headers.names()).containsExactlyInAnyOrder("Trailers", "Transfer-Encodings", "Upgrade-Insecure-Requests");
    }

    @Test
    void contentLengthAndHostStayWhateverConnectionNames() {
        HttpHeaders headers = CompactHttpHeaders.forHead().add("Connection", "Content-Length, host, X-Gone")
                .add("Content-Length", "5").add("Host", "shop.example.com").add("X-Gone", "1");

        HopByHopHeaders.remove(headers, false);

        assertThat(headers.names()).containsExactly("Content-Length", "Host");
    }

    @Test
    void manyNamedHeadersGoInOneWalk() {
        StringBuilder named = new StringBuilder("close");
        HttpHeaders headers = CompactHttpHeaders.forHead().add("Host", "shop.example.com");
        for (int i = 0; i < 2000; i++) {
            named.append(", X-N").append(i);
            headers.add("x-n" + i, "v");
        }
        headers.add("Connection", named.toString()).add("Accept", "*/*");

        HopByHopHeaders.remove(headers, false);

        assertThat(headers.names()).containsExactly("Host", "Accept");
    }

    @Test
    void aMessageWithoutHopByHopHeadersIsLeftAlone() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Host", "shop.example.com").add("Accept", "*/*").add("Accept", "text/html");

        HopByHopHeaders.remove(headers, false);

        assertThat(headers.getAll("Accept")).containsExactly("*/*", "text/html");
        assertThat(headers.names()).containsExactlyInAnyOrder("Host", "Accept");
    }

    @Test
    void emptyAndBlankTokensNameNothing() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Connection", ", ,close,").add("Accept", "*/*");

        HopByHopHeaders.remove(headers, false);

        assertThat(headers.names()).containsExactly("Accept");
    }
}
