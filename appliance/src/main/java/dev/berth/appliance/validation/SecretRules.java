package dev.berth.appliance.validation;

import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.snapshot.TlsSecret;
import dev.berth.proxy.tls.PemKeyPair;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * TLS Secrets ({@code kubernetes.io/tls}): {@code tls.crt} holds at least one X.509 certificate and
 * {@code tls.key} a PEM private key that belongs to the first of them. A broken Secret is held at its last good
 * version, so a botched certificate rotation keeps serving the old certificate instead of failing every handshake.
 * Other Secret types are not Berth's business and are not checked.
 *
 * <p>Reading a pair (parsing both PEM halves, and a signature to show the key fits) is the costly part of
 * validation, and a configuration generation comes with every endpoint change while certificates change every few
 * weeks; so what the pair reading found is kept for the entries the last check saw, and an unchanged Secret is not
 * read again. Only the content decides (the same entries always give the same findings), so validation stays pure.
 */
final class SecretRules implements Validator.Rules {
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN ((RSA |EC |ENCRYPTED )?PRIVATE KEY)-----\\s+([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    /** The entries of a TLS Secret that were read, decoded (empty: missing or not base64, reported apart). */
    private record Entries(Optional<String> certificate, Optional<String> key) {}

    /** A problem the pair reading found: the entry it is about and what is wrong. */
    private record Finding(String entry, String message) {}

    private final AtomicReference<Map<Entries, List<Finding>>> lastFindings = new AtomicReference<>(Map.of());

    @Override
    public void check(Snapshot snapshot, Problems problems) {
        Map<Entries, List<Finding>> previous = lastFindings.get();
        Map<Entries, List<Finding>> current = new HashMap<>();
        for (Secret secret : snapshot.secrets()) {
            if (!TlsSecret.isTls(secret)) {
                continue;
            }
            ObjectRef ref = ObjectRef.of(Kind.SECRET, secret);
            Entries entries = new Entries(entry(secret, TlsSecret.CERTIFICATE, ref, problems), entry(secret, TlsSecret.KEY, ref, problems));
            List<Finding> findings = current.computeIfAbsent(entries, read -> {
                List<Finding> known = previous.get(read);
                return known != null ? known : read(read);
            });
            findings.forEach(finding -> problems.add(ref, field(finding.entry()), finding.message(), Effect.HOLDS_OBJECT));
        }
        lastFindings.set(Map.copyOf(current));
    }

    /** Each half alone, then, when both read, the pair as the HTTPS listener will read it: every key form, and the key fits the certificate. */
    private static List<Finding> read(Entries entries) {
        List<Finding> findings = new ArrayList<>();
        entries.certificate().flatMap(SecretRules::certificateProblem)
                .ifPresent(message -> findings.add(new Finding(TlsSecret.CERTIFICATE, message)));
        entries.key().flatMap(SecretRules::keyProblem)
                .ifPresent(message -> findings.add(new Finding(TlsSecret.KEY, message)));
        if (findings.isEmpty() && entries.certificate().isPresent() && entries.key().isPresent()) {
            try {
                PemKeyPair.parse(entries.certificate().get(), entries.key().get());
            } catch (PemKeyPair.Invalid invalid) {
                findings.add(new Finding(invalid.part() == PemKeyPair.Part.KEY ? TlsSecret.KEY : TlsSecret.CERTIFICATE, invalid.getMessage()));
            }
        }
        return List.copyOf(findings);
    }

    private static String field(String entry) {
        return "data[" + entry + "]";
    }

    /** The decoded entry, or empty with a problem when it is missing or not base64. */
    private static Optional<String> entry(Secret secret, String key, ObjectRef ref, Problems problems) {
        try {
            Optional<String> entry = TlsSecret.entry(secret, key);
            if (entry.isEmpty()) {
                problems.add(ref, field(key), "missing (expected: a PEM " + (key.equals(TlsSecret.CERTIFICATE) ? "certificate" : "private key")
                        + " under data or stringData)", Effect.HOLDS_OBJECT);
            }
            return entry;
        } catch (IllegalArgumentException e) {
            problems.add(ref, field(key), "is not base64: " + e.getMessage() + " (expected: base64 of PEM)", Effect.HOLDS_OBJECT);
            return Optional.empty();
        }
    }

    /** Read as the HTTPS listener reads it. */
    private static Optional<String> certificateProblem(String pem) {
        try {
            PemKeyPair.readCertificates(pem);
            return Optional.empty();
        } catch (PemKeyPair.Invalid e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> keyProblem(String pem) {
        var matcher = PRIVATE_KEY.matcher(pem);
        if (!matcher.find()) {
            return Optional.of("holds no private key (expected: a PEM block BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        if (matcher.group(1).startsWith("ENCRYPTED")) {
            return Optional.of("the private key is encrypted (expected: an unencrypted PEM key, as Kubernetes TLS Secrets hold)");
        }
        try {
            Base64.getMimeDecoder().decode(matcher.group(3));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("private key is not valid base64 inside its PEM block (expected: an unbroken PEM key)");
        }
    }
}
