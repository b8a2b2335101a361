package dev.berth.appliance.validation;

import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * TLS Secrets ({@code kubernetes.io/tls}): {@code tls.crt} holds at least one X.509 certificate and
 * {@code tls.key} a PEM private key. A broken Secret is held at its last good version, so a botched
 * certificate rotation keeps serving the old certificate instead of failing every handshake.
 * Other Secret types are not Berth's business and are not checked.
 */
final class SecretRules implements Validator.Rules {
    static final String TLS_TYPE = "kubernetes.io/tls";
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN ((RSA |EC |ENCRYPTED )?PRIVATE KEY)-----\\s+([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    @Override
    public void check(Snapshot snapshot, Problems problems) {
        for (Secret secret : snapshot.secrets()) {
            if (!TLS_TYPE.equals(secret.getType())) {
                continue;
            }
            ObjectRef ref = ObjectRef.of(Kind.SECRET, secret);
            Optional<byte[]> certificate = entry(secret, "tls.crt", ref, problems);
            Optional<byte[]> key = entry(secret, "tls.key", ref, problems);
            certificate.flatMap(SecretRules::certificateProblem)
                    .ifPresent(message -> problems.add(ref, "data[tls.crt]", message, Effect.HOLDS_OBJECT));
            key.flatMap(SecretRules::keyProblem)
                    .ifPresent(message -> problems.add(ref, "data[tls.key]", message, Effect.HOLDS_OBJECT));
        }
    }

    /** The decoded entry from stringData (which wins, as on the API server) or data. */
    private static Optional<byte[]> entry(Secret secret, String key, ObjectRef ref, Problems problems) {
        Map<String, String> stringData = secret.getStringData();
        if (stringData != null && stringData.get(key) != null) {
            return Optional.of(stringData.get(key).getBytes(StandardCharsets.UTF_8));
        }
        Map<String, String> data = secret.getData();
        String encoded = data == null ? null : data.get(key);
        if (encoded == null) {
            problems.add(ref, "data[" + key + "]", "missing (expected: a PEM " + (key.equals("tls.crt") ? "certificate" : "private key")
                    + " under data or stringData)", Effect.HOLDS_OBJECT);
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getMimeDecoder().decode(encoded));
        } catch (IllegalArgumentException e) {
            problems.add(ref, "data[" + key + "]", "is not base64: " + e.getMessage() + " (expected: base64 of PEM)", Effect.HOLDS_OBJECT);
            return Optional.empty();
        }
    }

    private static Optional<String> certificateProblem(byte[] pem) {
        try {
            var certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            return certificates.isEmpty()
                    ? Optional.of("holds no certificate (expected: PEM blocks BEGIN CERTIFICATE)")
                    : Optional.empty();
        } catch (CertificateException e) {
            return Optional.of("certificate does not parse: " + firstLine(e.getMessage()) + " (expected: PEM X.509 certificates)");
        }
    }

    private static Optional<String> keyProblem(byte[] pem) {
        var matcher = PRIVATE_KEY.matcher(new String(pem, StandardCharsets.US_ASCII));
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

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
