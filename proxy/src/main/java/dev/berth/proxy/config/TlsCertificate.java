package dev.berth.proxy.config;

import java.util.List;
import java.util.Objects;

/**
 * A certificate the HTTPS listener presents, and the server names (SNI) it is presented for.
 *
 * @param source where it came from, for logs and problems, e.g. {@code Secret shop/web-tls (Ingress shop/web spec.tls[0])}
 * @param hosts the names it serves, lower case, exact or {@code *.example.com} (exactly one more label), in Ingress
 *     host syntax; empty for the names the certificate itself carries (its DNS subject alternative names)
 * @param certificateChain PEM: the server certificate first, then its intermediates
 * @param privateKey PEM: the certificate's private key (PKCS#8, PKCS#1 or SEC1, unencrypted)
 */
public record TlsCertificate(String source, List<String> hosts, String certificateChain, String privateKey) {

    public TlsCertificate {
        Objects.requireNonNull(source, "source");
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** Says where it came from, never the key. */
    @Override
    public String toString() {
        return source + " " + hosts;
    }
}
