package dev.berth.appliance.admin;

import dev.berth.proxy.tls.ServedCertificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One certificate the HTTPS listener presents, in {@code /api/certificates}.
 *
 * @param serverNames the names it answers (none for the default, which answers the rest)
 * @param notAfter when it expires, ISO-8601 UTC
 * @param daysLeft whole days until then, negative once it has expired
 */
public record CertificateView(String source, List<String> serverNames, boolean isDefault, String subject, String issuer, String notAfter,
        long daysLeft) {

    public static CertificateView of(ServedCertificate served, Instant now) {
        return new CertificateView(served.source(), served.serverNames(), served.isDefault(), served.subject(), served.issuer(),
                served.notAfter().toString(), Duration.between(now, served.notAfter()).toDays());
    }
}
