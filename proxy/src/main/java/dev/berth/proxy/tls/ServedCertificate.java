package dev.berth.proxy.tls;

import java.time.Instant;
import java.util.List;

/**
 * A certificate the HTTPS listener presents now, for the admin API: what an operator checks before a certificate
 * expires or when a browser shows the wrong one.
 *
 * @param source where it came from ({@code Secret shop/web-tls (Ingress shop/web spec.tls[0])}, or Berth's own)
 * @param serverNames the names it answers, as configured (a name an earlier certificate claimed is not listed); empty
 *     for the default certificate, which answers every other name and clients without one
 * @param isDefault whether it is the default certificate
 */
public record ServedCertificate(String source, List<String> serverNames, boolean isDefault, String subject, String issuer,
        Instant notAfter) {

    public ServedCertificate {
        serverNames = List.copyOf(serverNames);
    }
}
