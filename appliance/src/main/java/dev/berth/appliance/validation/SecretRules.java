package dev.berth.appliance.validation;

import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.snapshot.TlsSecret;
import dev.berth.proxy.tls.PemKeyPair;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * TLS Secrets ({@code kubernetes.io/tls}): {@code tls.crt} holds at least one X.509 certificate and
 * {@code tls.key} a PEM private key that belongs to the first of them. A broken Secret is held at its last good
 * version, so a botched certificate rotation keeps serving the old certificate instead of failing every handshake.
 * Other Secret types are not Berth's business and are not checked.
 */
final class SecretRules implements Validator.Rules {
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN ((RSA |EC |ENCRYPTED )?PRIVATE KEY)-----\\s+([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    @Override
    public void check(Snapshot snapshot, Problems problems) {
        for (Secret secret : snapshot.secrets()) {
            if (!TlsSecret.isTls(secret)) {
                continue;
            }
            ObjectRef ref = ObjectRef.of(Kind.SECRET, secret);
            Optional<String> certificate = entry(secret, TlsSecret.CERTIFICATE, ref, problems);
            Optional<String> key = entry(secret, TlsSecret.KEY, ref, problems);
            Optional<String> certificateProblem = certificate.flatMap(SecretRules::certificateProblem);
            Optional<String> keyProblem = key.flatMap(SecretRules::keyProblem);
            certificateProblem.ifPresent(message -> problems.add(ref, field(TlsSecret.CERTIFICATE), message, Effect.HOLDS_OBJECT));
            keyProblem.ifPresent(message -> problems.add(ref, field(TlsSecret.KEY), message, Effect.HOLDS_OBJECT));
            if (certificate.isPresent() && key.isPresent() && certificateProblem.isEmpty() && keyProblem.isEmpty()) {
                checkPair(certificate.get(), key.get(), ref, problems);
            }
        }
    }

    /** Both halves read alone; now as the HTTPS listener will read them: every key form, and the key fits the certificate. */
    private static void checkPair(String certificate, String key, ObjectRef ref, Problems problems) {
        try {
            PemKeyPair.parse(certificate, key);
        } catch (PemKeyPair.Invalid invalid) {
            String at = field(invalid.part() == PemKeyPair.Part.KEY ? TlsSecret.KEY : TlsSecret.CERTIFICATE);
            problems.add(ref, at, invalid.getMessage(), Effect.HOLDS_OBJECT);
        }
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
