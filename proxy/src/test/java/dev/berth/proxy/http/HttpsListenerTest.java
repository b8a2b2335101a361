package dev.berth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.proxy.config.Backend;
import dev.berth.proxy.config.Endpoint;
import dev.berth.proxy.config.HttpRoute;
import dev.berth.proxy.config.ProxyConfig;
import dev.berth.proxy.config.TlsCertificate;
import dev.berth.proxy.tls.ServedCertificate;
import dev.berth.proxy.tls.TestCertificates;
import dev.berth.proxy.tls.TlsLibrary;
import dev.berth.proxy.tls.TestCertificates.Issued;
import dev.berth.proxy.tls.TestCertificates.KeyForm;
import dev.berth.proxy.transport.Transport;
import dev.berth.proxy.transport.TransportChoice;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS termination end to end: curl and h2load (real clients, verifying against a test authority where they can) →
 * Berth's HTTPS listener → a cleartext echo backend. The certificate is chosen by the ClientHello's server name, ALPN
 * chooses HTTP/1.1 or h2, and a new configuration changes certificates for new handshakes only.
 */
@Timeout(60)
class HttpsListenerTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(400);

    @TempDir
    Path scratch;

    private TestCertificates ca;
    private Path caFile;
    private EchoBackend backend;
    private Backend echo;
    private DataPlane plane;
    private int port;

    @BeforeEach
    void start() throws Exception {
        ca = new TestCertificates();
        caFile = Files.writeString(scratch.resolve("ca.pem"), ca.caPem());
        backend = new EchoBackend("echo");
        echo = new Backend("shop/echo:http", Backend.Protocol.HTTP, "round-robin", List.of(new Endpoint(backend.address(), 1, null)));
        startPlane(true, "auto");
    }

    private void startPlane(boolean sessionTickets, String transport) throws Exception {
        startPlane(sessionTickets, transport, TlsLibrary.AUTO);
    }

    private void startPlane(boolean sessionTickets, String transport, TlsLibrary library) throws Exception {
        if (plane != null) {
            plane.close();
        }
        DataPlane.Settings settings = new DataPlane.Settings(TransportChoice.choose(transport), new InetSocketAddress("127.0.0.1", 0), 1,
                Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(30), 8, List.of(), false,
                Optional.of(new DataPlane.Https(new InetSocketAddress("127.0.0.1", 0), HANDSHAKE_TIMEOUT, sessionTickets)), library);
        plane = DataPlane.start(settings);
        port = plane.httpsAddress().orElseThrow().getPort();
    }

    @AfterEach
    void stop() {
        plane.close();
        backend.close();
    }

    private void serve(long generation, TlsCertificate... certificates) {
        plane.apply(new ProxyConfig(generation, List.of(new HttpRoute("", HttpRoute.PathType.PREFIX, "/", echo.name(), "test", 0)),
                Optional.empty(), Map.of(echo.name(), echo), List.of(certificates)));
    }

    private static TlsCertificate certificate(String source, Issued issued, String... hosts) {
        return new TlsCertificate(source, List.of(hosts), issued.certificatePem(), issued.keyPem());
    }

    private Curl.Result curl(String host, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--cacert", caFile.toString(), "--resolve", host + ":" + port + ":127.0.0.1"));
        args.addAll(List.of(options));
        args.add("https://" + host + ":" + port + "/hello");
        return Curl.run(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2"})
    void curlVerifiesTheCertificateOfItsNameAndTheRequestGoesUpAsHttps(String version) throws Exception {
        serve(1, certificate("shop", ca.issue("shop", KeyForm.PKCS8, "shop.example"), "shop.example"));

        Curl.Result result = curl("shop.example", version);

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.httpVersion()).isEqualTo(version.equals("--http2") ? "2" : "1.1");
        assertThat(result.body()).containsIgnoringCase("x-forwarded-proto: https").containsIgnoringCase("x-forwarded-port: " + port);
    }

    /** The handshake reads without auto-read, and each transport reads in its own way: all three serve both protocols. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyTransportServesHttp11AndH2OverTls(Transport transport) throws Exception {
        assumeTrue(transport.unavailabilityCause().isEmpty(), () -> transport + " is not available here");
        startPlane(true, transport.cliName());
        serve(1, certificate("shop", ca.issue("shop", KeyForm.PKCS8, "shop.example"), "shop.example"));

        Curl.Result http11 = curl("shop.example", "--http1.1");
        Curl.Result h2 = curl("shop.example", "--http2");

        assertThat(http11.exit()).as(http11.err()).isZero();
        assertThat(http11.httpVersion()).isEqualTo("1.1");
        assertThat(h2.exit()).as(h2.err()).isZero();
        assertThat(h2.httpVersion()).isEqualTo("2");
        assertThat(h2.body()).containsIgnoringCase("x-forwarded-proto: https");
    }

    /** RSA (PKCS#1) and ECDSA (SEC1) keys serve, each verified by curl, on both TLS libraries. */
    @ParameterizedTest
    @EnumSource(TlsLibrary.class)
    void rsaAndEcdsaKeysServeOnBothLibraries(TlsLibrary library) throws Exception {
        startPlane(true, "auto", library);
        serve(1, certificate("rsa", ca.issueRsa("rsa", KeyForm.TRADITIONAL, "rsa.example"), "rsa.example"),
                certificate("ec", ca.issue("ec", KeyForm.TRADITIONAL, "ec.example"), "ec.example"));

        for (String host : List.of("rsa.example", "ec.example")) {
            Curl.Result result = curl(host);
            assertThat(result.exit()).as(host + ": " + result.err()).isZero();
            assertThat(result.status()).isEqualTo(200);
        }
    }

    /** The JDK's TLS, for when BoringSSL does not load (or is not wanted): the same certificates, SNI and ALPN. */
    @Test
    void theJdksTlsServesTheSameWay() throws Exception {
        startPlane(true, "auto", TlsLibrary.JDK);
        Issued exact = ca.issue("exact", KeyForm.TRADITIONAL, "api.apps.example");
        Issued wildcard = ca.issueRsa("wildcard", KeyForm.TRADITIONAL, "*.apps.example");
        serve(1, certificate("wildcard", wildcard, "*.apps.example"), certificate("exact", exact, "api.apps.example"));

        Curl.Result http11 = curl("api.apps.example", "--http1.1");
        Curl.Result h2 = curl("web.apps.example", "--http2");

        assertThat(http11.exit()).as(http11.err()).isZero();
        assertThat(h2.exit()).as(h2.err()).isZero();
        assertThat(h2.httpVersion()).isEqualTo("2");
        assertThat(servedFor("api.apps.example")).isEqualTo(exact.certificate());
        assertThat(subjectOf(servedFor(null))).isEqualTo("CN=Berth default certificate");
    }

    @Test
    void theServerNameChoosesTheCertificateExactBeforeWildcardElseTheDefault() throws Exception {
        Issued exact = ca.issue("exact", KeyForm.TRADITIONAL, "api.apps.example");
        Issued wildcard = ca.issueRsa("wildcard", KeyForm.TRADITIONAL, "*.apps.example"); // PKCS#1, as cert-manager writes RSA keys
        serve(1, certificate("wildcard", wildcard, "*.apps.example"), certificate("exact", exact, "api.apps.example"));

        assertThat(servedFor("api.apps.example")).isEqualTo(exact.certificate());
        assertThat(servedFor("web.apps.example")).isEqualTo(wildcard.certificate());
        assertThat(curl("web.apps.example").exit()).isZero();
        assertThat(subjectOf(servedFor("a.b.apps.example"))).isEqualTo("CN=Berth default certificate");
        assertThat(subjectOf(servedFor(null))).as("no SNI").isEqualTo("CN=Berth default certificate");
        Curl.Result unknown = curl("other.example");
        assertThat(unknown.exit()).as("curl refuses the default certificate for a name it does not carry").isEqualTo(60);
        assertThat(curl("other.example", "--insecure").status()).as("and the request is served when told to go on").isEqualTo(200);
    }

    @Test
    void withoutHostsACertificateServesTheNamesItCarries() throws Exception {
        Issued issued = ca.issue("names", KeyForm.PKCS8, "one.example", "*.two.example");
        serve(1, certificate("names", issued));

        assertThat(servedFor("one.example")).isEqualTo(issued.certificate());
        assertThat(servedFor("x.two.example")).isEqualTo(issued.certificate());
        assertThat(subjectOf(servedFor("three.example"))).isEqualTo("CN=Berth default certificate");
    }

    @Test
    void aRouteThatWantsHttpsRedirectsCleartextRequestsButNotAcmeChallengesNorHttps() throws Exception {
        plane.apply(new ProxyConfig(1, List.of(new HttpRoute("shop.example", HttpRoute.PathType.PREFIX, "/", echo.name(), "test", 0, true)),
                Optional.empty(), Map.of(echo.name(), echo), List.of(certificate("shop", ca.issue("shop", KeyForm.PKCS8, "shop.example"),
                "shop.example"))));
        String http = "http://shop.example:" + plane.httpAddress().getPort();
        String resolve = "shop.example:" + plane.httpAddress().getPort() + ":127.0.0.1";

        Curl.Result redirected = Curl.run("--resolve", resolve, "-D", "-", "-X", "POST", "--data", "x=1", http + "/cart?item=7");
        Curl.Result challenge = Curl.run("--resolve", resolve, http + "/.well-known/acme-challenge/token-1");
        Curl.Result secure = curl("shop.example");

        assertThat(redirected.status()).isEqualTo(308);
        assertThat(redirected.body()).containsIgnoringCase("location: https://shop.example/cart?item=7");
        assertThat(challenge.status()).as("an ACME HTTP-01 challenge reaches the backend").isEqualTo(200);
        assertThat(challenge.body()).contains("uri=/.well-known/acme-challenge/token-1");
        assertThat(secure.status()).isEqualTo(200);
        assertThat(backend.requestsSeen()).as("the redirected request never went up").isEqualTo(2);
    }

    @Test
    void aConfiguredDefaultCertificateAnswersUncoveredNamesAndClientsWithoutOne() throws Exception {
        Issued shop = ca.issue("shop", KeyForm.PKCS8, "shop.example");
        Issued fallback = ca.issue("fallback", KeyForm.PKCS8, "fallback.example");
        Issued stranger = ca.issue("stranger", KeyForm.PKCS8, "stranger.example");
        Optional<TlsCertificate> configured = Optional.of(certificate("fallback", fallback));
        plane.apply(new ProxyConfig(1, List.of(), Optional.empty(), Map.of(), List.of(certificate("shop", shop, "shop.example")), configured));

        assertThat(servedFor("shop.example")).isEqualTo(shop.certificate());
        assertThat(servedFor("other.example")).isEqualTo(fallback.certificate());
        assertThat(servedFor(null)).isEqualTo(fallback.certificate());

        Optional<TlsCertificate> broken = Optional.of(new TlsCertificate("fallback", List.of(), fallback.certificatePem(), stranger.keyPem()));
        plane.apply(new ProxyConfig(2, List.of(), Optional.empty(), Map.of(), List.of(), broken));
        assertThat(subjectOf(servedFor(null))).as("a default that cannot serve gives way to Berth's own").isEqualTo("CN=Berth default certificate");
    }

    @Test
    void aNewConfigurationRotatesTheCertificateForNewHandshakesAndOpenConnectionsGoOn() throws Exception {
        Issued before = ca.issue("before", KeyForm.PKCS8, "shop.example");
        Issued after = ca.issue("after", KeyForm.PKCS8, "shop.example");
        serve(1, certificate("shop", before, "shop.example"));
        try (SSLSocket open = connect("shop.example")) {
            assertThat(open.getSession().getPeerCertificates()[0]).isEqualTo(before.certificate());
            assertThat(exchange(open, "shop.example")).isEqualTo("HTTP/1.1 200 OK");

            serve(2, certificate("shop", after, "shop.example"));

            assertThat(servedFor("shop.example")).isEqualTo(after.certificate());
            assertThat(exchange(open, "shop.example")).as("the connection made before goes on").isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aCertificateWhoseKeyDoesNotMatchIsLeftOutAndTheOthersServe() throws Exception {
        Issued good = ca.issue("good", KeyForm.PKCS8, "good.example");
        Issued bad = ca.issue("bad", KeyForm.PKCS8, "bad.example");
        Issued stranger = ca.issue("stranger", KeyForm.PKCS8, "stranger.example");
        plane.apply(new ProxyConfig(1, List.of(), Optional.empty(), Map.of(), List.of(
                new TlsCertificate("Secret shop/bad", List.of("bad.example"), bad.certificatePem(), stranger.keyPem()),
                certificate("good", good, "good.example"))));

        assertThat(servedFor("good.example")).isEqualTo(good.certificate());
        assertThat(subjectOf(servedFor("bad.example"))).isEqualTo("CN=Berth default certificate");
    }

    @Test
    void theCertificatesInForceAreDescribedWithTheNamesTheyWon() throws Exception {
        Issued older = ca.issue("older", KeyForm.PKCS8, "*.apps.example");
        Issued newer = ca.issue("newer", KeyForm.PKCS8, "api.apps.example", "web.apps.example");
        serve(1, certificate("Secret a/older", older, "*.apps.example"), certificate("Secret b/newer", newer, "*.apps.example", "api.apps.example"));

        List<ServedCertificate> served = plane.certificates();

        assertThat(served).extracting(ServedCertificate::source, ServedCertificate::serverNames, ServedCertificate::isDefault).containsExactly(
                tuple("Berth's own (self-signed, made at start)", List.of(), true),
                tuple("Secret a/older", List.of("*.apps.example"), false),
                tuple("Secret b/newer", List.of("api.apps.example"), false));
        assertThat(served.get(1).subject()).isEqualTo("CN=older");
        assertThat(served.get(1).issuer()).isEqualTo("CN=Berth test CA");
        assertThat(served.get(1).notAfter()).isEqualTo(older.certificate().getNotAfter().toInstant());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void openSslResumesItsSessionByTicketUnlessTicketsAreOff(boolean tickets) throws Exception {
        startPlane(tickets, "auto");
        serve(1, certificate("shop", ca.issue("shop", KeyForm.PKCS8, "shop.example"), "shop.example"));
        Path session = scratch.resolve("session.pem");

        String first = openSslRequest("-sess_out", session.toString());

        assertThat(first).contains("New, TLSv1.3").contains("HTTP/1.1 200 OK");
        if (tickets) {
            assertThat(first).contains("Post-Handshake New Session Ticket arrived");
            String second = openSslRequest("-sess_in", session.toString());
            assertThat(second).contains("HTTP/1.1 200 OK").as("the second connection resumes").contains("Reused, TLSv1.3");
        } else {
            assertThat(first).doesNotContain("New Session Ticket");
            assertThat(session).as("openssl keeps no session it could resume").doesNotExist();
        }
    }

    /**
     * One request through {@code openssl s_client}, which reads until Berth closes the connection after the response
     * (so any session ticket, sent right after the handshake, has arrived); its whole output.
     */
    private String openSslRequest(String... sessionOptions) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "shop.example", "-tls1_3"));
        command.addAll(List.of(sessionOptions));
        Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        client.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        client.getOutputStream().close();
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void h2loadMultiplexesOverTlsWithEveryRequestSucceeding() throws Exception {
        serve(1);
        Process h2load = new ProcessBuilder("h2load", "-n", "1000", "-c", "4", "-m", "10", "https://127.0.0.1:" + port + "/load")
                .redirectErrorStream(true).start();
        String output = new String(h2load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(h2load.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("Application protocol: h2");
        Matcher requests = Pattern.compile("requests: (\\d+) total, \\d+ started, (\\d+) done, (\\d+) succeeded").matcher(output);
        assertThat(requests.find()).as(output).isTrue();
        assertThat(requests.group(3)).as(output).isEqualTo("1000");
    }

    @Test
    void aClientThatConnectsAndSaysNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", port)) {
            silent.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(silent.getInputStream().read()).as("closed by Berth").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.minusMillis(50));
        }
    }

    @Test
    void plainHttpOnTheHttpsPortIsClosedWithoutAnAnswer() throws Exception {
        serve(1);
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = plain.getInputStream();
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    /** The certificate Berth presents for a server name (null: no SNI), trusting anything so as to see it. */
    private X509Certificate servedFor(String serverName) throws Exception {
        try (SSLSocket socket = connect(serverName)) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private SSLSocket connect(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** One HTTP/1.1 request on an open connection; the status line of its answer, whose body is read to its end. */
    private static String exchange(SSLSocket socket, String host) throws Exception {
        socket.getOutputStream().write(("GET /again HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1), 1);
        String status = reader.readLine();
        int length = -1;
        for (String line = reader.readLine(); !line.isEmpty(); line = reader.readLine()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertThat(length).as("a sized answer").isNotNegative();
        assertThat(reader.skip(length)).isEqualTo(length);
        return status;
    }

    private static String subjectOf(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
