package dev.berth.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerNamesTest {
    private final ServerNames<String> names = build();

    private static ServerNames<String> build() {
        ServerNames.Builder<String> builder = ServerNames.builder();
        builder.add("shop.example.com", "shop");
        builder.add("*.example.com", "wildcard");
        builder.add("Shop.Example.com", "later"); // the first to claim a name keeps it
        return builder.build();
    }

    @Test
    void anExactNameWinsOverTheWildcardThatAlsoCoversIt() {
        assertThat(names.find("shop.example.com")).contains("shop");
        assertThat(names.find("SHOP.example.COM")).contains("shop");
        assertThat(names.find("shop.example.com.")).contains("shop");
    }

    @Test
    void aWildcardCoversExactlyOneMoreLabel() {
        assertThat(names.find("api.example.com")).contains("wildcard");
        assertThat(names.find("example.com")).isEmpty();
        assertThat(names.find("a.b.example.com")).isEmpty();
        assertThat(names.find("apiexample.com")).isEmpty();
    }

    @Test
    void noNameOrAnUncoveredOneFindsNothing() {
        assertThat(names.find(null)).isEmpty();
        assertThat(names.find("")).isEmpty();
        assertThat(names.find("other.org")).isEmpty();
        assertThat(ServerNames.<String>builder().build().isEmpty()).isTrue();
    }

    @Test
    void theFirstToClaimANameKeepsIt() {
        ServerNames.Builder<String> builder = ServerNames.builder();
        assertThat(builder.add("*.example.com", "older")).isTrue();
        assertThat(builder.add("*.EXAMPLE.com", "newer")).isFalse();
        assertThat(builder.build().find("x.example.com")).contains("older");
    }
}
