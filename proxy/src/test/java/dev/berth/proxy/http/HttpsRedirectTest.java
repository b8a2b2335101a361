package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpsRedirectTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            shop.example        | /cart?item=7          | https://shop.example/cart?item=7
            shop.example:8080   | /                     | https://shop.example/
            [2001:db8::1]:80    | /a                    | https://[2001:db8::1]/a
            [2001:db8::1]       | /a                    | https://[2001:db8::1]/a
            shop.example        | http://shop.example/b?c | https://shop.example/b?c
            shop.example        | http://shop.example   | https://shop.example/
            """)
    void theLocationIsTheSameHostAndTargetOverHttps(String host, String uri, String location) {
        assertThat(HttpsRedirect.location(host, uri)).isEqualTo(location);
    }

    @ParameterizedTest
    @CsvSource({"/.well-known/acme-challenge/abc, true", "/.well-known/other, false", "/, false"})
    void acmeChallengesAreRecognised(String uri, boolean challenge) {
        assertThat(HttpsRedirect.isAcmeChallenge(uri)).isEqualTo(challenge);
    }
}
