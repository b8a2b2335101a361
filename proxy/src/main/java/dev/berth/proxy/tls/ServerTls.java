package dev.berth.proxy.tls;

import dev.berth.proxy.config.TlsCertificate;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.internal.tcnative.SSL;
import io.netty.util.Mapping;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener's certificates: which TLS context answers a ClientHello, by its server name (SNI). Netty's
 * {@code SniHandler} asks {@link #map} on the event loop; {@link #apply} puts a configuration's certificates in force
 * at once for every handshake that starts afterwards. A name no certificate covers, or no name, gets the default
 * certificate: the configuration's, else one the listener makes at start ({@link DefaultCertificate}).
 *
 * <p>Each context offers ALPN {@code h2} then {@code http/1.1}, TLS 1.3 and 1.2, and the cipher suites h2 allows.
 * The TLS library is BoringSSL through netty-tcnative where its native library loads (as HAProxy and NGINX use OpenSSL),
 * else the JDK's, said once at start. Contexts are kept across configurations while their certificate and key stay the
 * same, so that a new configuration (every endpoint change makes one) costs no key parsing, and TLS sessions and tickets
 * issued by a context stay valid.
 */
public final class ServerTls implements Mapping<String, SslContext> {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final String OWN_DEFAULT = "Berth's own (self-signed, made at start)";

    /** One certificate's material; the cache of contexts is keyed by it. */
    private record Material(String certificateChain, String privateKey) {}

    /** The context made of one material, its server certificate, and the names that certificate carries. */
    private record Served(SslContext context, X509Certificate leaf, List<String> dnsNames) {

        ServedCertificate describe(String source, List<String> serverNames, boolean isDefault) {
            return new ServedCertificate(source, serverNames, isDefault, leaf.getSubjectX500Principal().getName(),
                    leaf.getIssuerX500Principal().getName(), leaf.getNotAfter().toInstant());
        }
    }

    /** What answers handshakes: by name, else the default; swapped whole, with its description. */
    private record Selection(ServerNames<SslContext> names, SslContext fallback, List<ServedCertificate> served) {}

    private final SslProvider provider;
    private final boolean sessionTickets;
    /** The certificate the listener made itself, the default when the configuration names none. */
    private final Served generated;
    private volatile Selection selection;
    /** Contexts of the configuration in force, touched only by {@link #apply} (one configuration thread). */
    private Map<Material, Served> contexts = Map.of();

    private ServerTls(SslProvider provider, boolean sessionTickets, Served generated) {
        this.provider = provider;
        this.sessionTickets = sessionTickets;
        this.generated = generated;
        this.selection = new Selection(ServerNames.<SslContext>builder().build(), generated.context(), List.of(ownDefault()));
    }

    private ServedCertificate ownDefault() {
        return generated.describe(OWN_DEFAULT, List.of(), true);
    }

    /** The certificates presented now: the default first, then in precedence order. */
    public List<ServedCertificate> served() {
        return selection.served();
    }

    /**
     * Chooses the TLS library and makes the listener's own default certificate.
     *
     * @param sessionTickets let clients resume sessions by ticket; the keys are the TLS library's, made per context and
     *     rotated by it
     * @param library BoringSSL where it loads, or the JDK's TLS
     */
    public static ServerTls start(boolean sessionTickets, TlsLibrary library) {
        SslProvider provider = library.provider();
        if (provider == SslProvider.OPENSSL) {
            log.info("HTTPS: {} through netty-tcnative", OpenSsl.versionString());
        } else if (library == TlsLibrary.JDK) {
            log.info("HTTPS: the JDK's TLS, as --tls-library jdk asks");
        } else {
            log.info("HTTPS: the JDK's TLS (netty-tcnative does not load here: {})", OpenSsl.unavailabilityCause().getMessage());
        }
        try {
            return new ServerTls(provider, sessionTickets, served(provider, sessionTickets, DefaultCertificate.generate()));
        } catch (SSLException e) {
            throw new IllegalStateException("HTTPS: cannot make the default certificate's TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * Finishes a new connection's TLS engine: without session tickets, it issues none. (Netty lets every TLS 1.3 engine
     * issue them, as OpenJDK does, whatever its context says; the JDK's engines follow the JDK's own settings.)
     */
    public void configure(SSLEngine engine) {
        if (!sessionTickets && engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            SSL.setOptions(openSsl.sslPointer(), SSL.SSL_OP_NO_TICKET);
        }
    }

    /** The TLS context for a ClientHello's server name ({@code null} when it sent none). */
    @Override
    public SslContext map(String serverName) {
        Selection current = selection;
        return current.names().find(serverName).orElse(current.fallback());
    }

    /**
     * Puts these certificates in force, in precedence order (where two claim a name, the earlier keeps it), with this
     * default (empty: the listener's own). One that cannot serve (its key does not parse or does not match) is left out
     * and logged, naming its source; a default left out gives way to the listener's own.
     */
    public void apply(List<TlsCertificate> certificates, Optional<TlsCertificate> defaultCertificate) {
        List<String> problems = new ArrayList<>();
        Map<Material, Served> next = new HashMap<>();
        ServerNames.Builder<SslContext> builder = ServerNames.builder();
        List<ServedCertificate> described = new ArrayList<>();
        Served fallback = defaultCertificate.map(certificate -> served(certificate, next, problems)).orElse(null);
        described.add(fallback == null ? ownDefault() : fallback.describe(defaultCertificate.get().source(), List.of(), true));
        for (TlsCertificate certificate : certificates) {
            Served served = served(certificate, next, problems);
            if (served != null) {
                List<String> claimed = new ArrayList<>();
                for (String host : certificate.hosts().isEmpty() ? served.dnsNames() : certificate.hosts()) {
                    if (builder.add(host, served.context())) {
                        claimed.add(host);
                    }
                }
                described.add(served.describe(certificate.source(), claimed, false));
            }
        }
        contexts = next;
        selection = new Selection(builder.build(), (fallback == null ? generated : fallback).context(), List.copyOf(described));
        problems.forEach(problem -> log.warn("HTTPS certificate left out: {}", problem));
    }

    /** The context of a certificate, from this configuration or the last if its material is the same; null if it cannot serve. */
    private Served served(TlsCertificate certificate, Map<Material, Served> next, List<String> problems) {
        Material material = new Material(certificate.certificateChain(), certificate.privateKey());
        Served served = next.containsKey(material) ? next.get(material) : contexts.get(material);
        if (served == null) {
            try {
                served = served(provider, sessionTickets, PemKeyPair.parse(certificate.certificateChain(), certificate.privateKey()));
            } catch (PemKeyPair.Invalid e) {
                problems.add(certificate.source() + ": " + (e.part() == PemKeyPair.Part.KEY ? "tls.key " : "tls.crt ") + e.getMessage());
                return null;
            } catch (SSLException | RuntimeException e) {
                problems.add(certificate.source() + ": the TLS library refuses it: " + e.getMessage());
                return null;
            }
        }
        next.put(material, served);
        return served;
    }

    private static Served served(SslProvider provider, boolean sessionTickets, PemKeyPair pair) throws SSLException {
        return new Served(context(provider, sessionTickets, pair), pair.chain().getFirst(), pair.dnsNames());
    }

    private static SslContext context(SslProvider provider, boolean sessionTickets, PemKeyPair pair) throws SSLException {
        SslContext context = SslContextBuilder.forServer(pair.key(), pair.chain().toArray(X509Certificate[]::new))
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
        // Netty's OpenSSL contexts issue TLS 1.2 tickets only when given keys; none given, BoringSSL makes and rotates its
        // own. (TLS 1.3 engines issue them regardless: see configure.)
        if (sessionTickets && context.sessionContext() instanceof OpenSslSessionContext openSsl) {
            openSsl.setTicketKeys();
        }
        return context;
    }
}
