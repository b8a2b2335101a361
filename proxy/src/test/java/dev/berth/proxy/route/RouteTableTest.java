package dev.berth.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.HttpRoute.PathType;
import dev.berth.proxy.config.ProxyConfig;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {
    private static final String NONE = "none";

    /** A table whose routes are named by what they are, e.g. {@code "Prefix /aaa"}: each route gets its own backend. */
    private static RouteTable table(List<HttpRoute> routes, String defaultBackend) {
        Map<String, Backend> backends = new HashMap<>();
        routes.forEach(route -> backends.put(route.backend(), backend(route.backend())));
        if (defaultBackend != null) {
            backends.put(defaultBackend, backend(defaultBackend));
        }
        return RouteTable.of(new ProxyConfig(7, routes, Optional.ofNullable(defaultBackend), backends));
    }

    private static Backend backend(String name) {
        Endpoint endpoint = new Endpoint(new InetSocketAddress("127.0.0.1", 8080), 1, null);
        return new Backend(name, Backend.Protocol.HTTP, "round-robin", List.of(endpoint));
    }

    private static HttpRoute route(String host, String typeAndPath) {
        return route(host, typeAndPath, typeAndPath, 0, "Ingress default/site");
    }

    private static HttpRoute route(String host, String typeAndPath, String backend, long rank, String source) {
        String[] parts = typeAndPath.split(" ");
        PathType type = parts[0].equals("Exact") ? PathType.EXACT : PathType.PREFIX;
        return new HttpRoute(host, type, parts[1], backend, source, rank);
    }

    /** The backend name a request goes to, or {@link #NONE} for a 404. */
    private static String served(RouteTable table, String host, String uri) {
        RouteTable.Target target = table.match(host, uri);
        return target == null ? NONE : target.backend().name();
    }

    /** The "Examples" table of the Kubernetes Ingress documentation, plus the conformance suite's path cases. */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # rules                                | request        | matched
            Prefix /                               | /              | Prefix /
            Prefix /                               | /anything/at/all | Prefix /
            Exact /foo                             | /foo           | Exact /foo
            Exact /foo                             | /bar           | none
            Exact /foo                             | /foo/          | none
            Exact /foo                             | /FOO           | none
            Exact /foo/                            | /foo           | none
            Prefix /foo                            | /foo           | Prefix /foo
            Prefix /foo                            | /foo/          | Prefix /foo
            Prefix /foo/                           | /foo           | Prefix /foo/
            Prefix /foo/                           | /foo/          | Prefix /foo/
            Prefix /aaa/bb                         | /aaa/bbb       | none
            Prefix /aaa/bbb                        | /aaa/bbb       | Prefix /aaa/bbb
            Prefix /aaa/bbb/                       | /aaa/bbb       | Prefix /aaa/bbb/
            Prefix /aaa/bbb                        | /aaa/bbb/      | Prefix /aaa/bbb
            Prefix /aaa/bbb                        | /aaa/bbb/ccc   | Prefix /aaa/bbb
            Prefix /aaa/bbb                        | /aaa/bbbxyz    | none
            Prefix /, Prefix /aaa                  | /aaa/ccc       | Prefix /aaa
            Prefix /, Prefix /aaa, Prefix /aaa/bbb | /aaa/bbb       | Prefix /aaa/bbb
            Prefix /, Prefix /aaa, Prefix /aaa/bbb | /ccc           | Prefix /
            Prefix /aaa                            | /ccc           | none
            Prefix /aaa                            | /aaaccc        | none
            Prefix /aaa, Prefix /aaa/bbb           | /aaa/bbb/x     | Prefix /aaa/bbb
            Prefix /aaa, Prefix /aaa/bbb           | /aaa/b         | Prefix /aaa
            Prefix /foo, Exact /foo                | /foo           | Exact /foo
            Prefix /foo, Exact /foo                | /foo/          | Prefix /foo
            Exact /foo, Prefix /foo/bar            | /foo/bar       | Prefix /foo/bar
            Prefix /foo                            | /FOO           | none
            """)
    void pathsMatchAsTheIngressApiDefines(String rules, String request, String matched) {
        List<HttpRoute> routes = Arrays.stream(rules.split(", ")).map(rule -> route("", rule)).toList();
        assertThat(served(table(routes, null), "example.com", request)).isEqualTo(matched);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # Host header          | matched
            foo.bar.com            | foo.bar.com
            FOO.Bar.COM            | foo.bar.com
            foo.bar.com:8080       | foo.bar.com
            Foo.Bar.Com.:443       | foo.bar.com
            bar.foo.com            | *.foo.com
            BAR.FOO.COM:80         | *.foo.com
            baz.bar.foo.com        | none
            foo.com                | none
            .foo.com               | none
            exact.foo.com          | exact.foo.com
            """)
    void hostsMatchExactlyOrByOneWildcardLabel(String host, String matched) {
        RouteTable table = table(List.of(
                route("foo.bar.com", "Prefix /", "foo.bar.com", 0, "a"),
                route("*.foo.com", "Prefix /", "*.foo.com", 0, "b"),
                route("exact.foo.com", "Prefix /", "exact.foo.com", 0, "c")), null);
        assertThat(served(table, host, "/")).isEqualTo(matched);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            # Host header          | matched
            other.example.com      | any host
            [2001:db8::1]:8080     | any host
            [::1]                  | any host
            192.0.2.7:80           | any host
            ''                     | any host
            null                   | any host
            baz.bar.foo.com        | any host
            bar.foo.com            | *.foo.com
            """)
    void rulesWithoutHostTakeEveryOtherHost(String host, String matched) {
        RouteTable table = table(List.of(
                route("*.foo.com", "Prefix /", "*.foo.com", 0, "a"),
                route("", "Prefix /", "any host", 0, "b")), null);
        assertThat(served(table, host, "/x")).isEqualTo(matched);
    }

    @Test
    void onlyTheMostSpecificHostGroupIsSearched() {
        RouteTable table = table(List.of(
                route("api.foo.com", "Prefix /v1", "exact", 0, "a"),
                route("*.foo.com", "Prefix /", "wildcard", 0, "b"),
                route("", "Prefix /", "any host", 0, "c")), "default");
        assertThat(served(table, "api.foo.com", "/v1/users")).isEqualTo("exact");
        assertThat(served(table, "api.foo.com", "/v2/users")).isEqualTo("default");
        assertThat(served(table, "web.foo.com", "/v2/users")).isEqualTo("wildcard");
    }

    @Test
    void queryAndFragmentAreIgnored() {
        RouteTable table = table(List.of(route("", "Exact /foo"), route("", "Prefix /bar")), null);
        assertThat(served(table, "h", "/foo?x=1")).isEqualTo("Exact /foo");
        assertThat(served(table, "h", "/foo#top")).isEqualTo("Exact /foo");
        assertThat(served(table, "h", "/foo?next=/foo/bar")).isEqualTo("Exact /foo");
        assertThat(served(table, "h", "/bar?/foo")).isEqualTo("Prefix /bar");
        assertThat(served(table, "h", "/barista?x=/bar")).isEqualTo(NONE);
    }

    @Test
    void absoluteFormTargetsAreMatchedByTheirPath() {
        RouteTable table = table(List.of(route("", "Exact /"), route("", "Prefix /aaa")), null);
        assertThat(served(table, "h", "http://h:8080/aaa/bbb?q")).isEqualTo("Prefix /aaa");
        assertThat(served(table, "h", "https://h")).isEqualTo("Exact /");
        assertThat(served(table, "h", "http://h?q=/aaa")).isEqualTo("Exact /");
    }

    @Test
    void asteriskFormMatchesNoPath() {
        RouteTable table = table(List.of(route("", "Prefix /")), "default");
        assertThat(served(table, "h", "*")).isEqualTo("default");
    }

    @Test
    void equalPathsOfDifferentIngressesGoToTheLowerRankThenTheFirstSource() {
        RouteTable table = table(List.of(
                route("shop.example.com", "Prefix /cart/", "newer", 2, "Ingress shop/b rules[0].paths[0]"),
                route("shop.example.com", "Prefix /cart", "older", 1, "Ingress shop/z rules[0].paths[0]"),
                route("shop.example.com", "Exact /pay", "second", 3, "Ingress shop/y rules[0].paths[0]"),
                route("shop.example.com", "Exact /pay", "first", 3, "Ingress shop/x rules[0].paths[0]")), null);
        assertThat(served(table, "shop.example.com", "/cart/items")).isEqualTo("older");
        assertThat(served(table, "shop.example.com", "/pay")).isEqualTo("first");
    }

    @Test
    void unmatchedRequestsGoToTheDefaultBackend() {
        RouteTable table = table(List.of(route("foo.bar.com", "Exact /foo")), "fallback");
        RouteTable.Target target = table.match("other.com", "/foo");
        assertThat(target.backend().name()).isEqualTo("fallback");
        assertThat(target.route()).isNull();
        assertThat(target.isDefault()).isTrue();
        assertThat(served(table, "foo.bar.com", "/bar")).isEqualTo("fallback");
    }

    @Test
    void withoutRoutesOrDefaultNothingMatches() {
        assertThat(RouteTable.EMPTY.match("foo.com", "/")).isNull();
        assertThat(RouteTable.EMPTY.match(null, null)).isNull();
    }

    @Test
    void aMatchHandsOutTheTargetBuiltWithTheTable() {
        RouteTable table = table(List.of(route("foo.com", "Prefix /a")), "default");
        RouteTable.Target first = table.match("foo.com", "/a/1");
        assertThat(table.match("FOO.com:81", new StringBuilder("/a/2?x"))).isSameAs(first);
        assertThat(first.route().path()).isEqualTo("/a");
        assertThat(table.match("x", "/")).isSameAs(table.match("y", "/z"));
        assertThat(table.generation()).isEqualTo(7);
    }

    @Test
    void manyRoutesStillFindTheLongestPrefix() {
        List<HttpRoute> routes = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            routes.add(route("host" + i + ".example.com", "Prefix /p" + i, "b" + i, i, "s" + i));
            routes.add(route("host" + i + ".example.com", "Prefix /p" + i + "/deeper", "d" + i, i, "t" + i));
        }
        RouteTable table = table(routes, null);
        assertThat(served(table, "host123.example.com", "/p123/deeper/still")).isEqualTo("d123");
        assertThat(served(table, "HOST499.example.com", "/p499/x")).isEqualTo("b499");
        assertThat(served(table, "host499.example.com", "/p498")).isEqualTo(NONE);
    }
}
