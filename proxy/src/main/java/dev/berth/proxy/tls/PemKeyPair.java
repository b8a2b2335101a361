package dev.berth.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A certificate chain and its private key, read from PEM as Kubernetes TLS Secrets hold them ({@code tls.crt},
 * {@code tls.key}): the key may be PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, as
 * cert-manager writes RSA keys) or SEC1 ({@code BEGIN EC PRIVATE KEY}), RSA or ECDSA, and must belong to the first
 * certificate.
 *
 * @param chain the server certificate first, then its intermediates
 */
public record PemKeyPair(List<X509Certificate> chain, PrivateKey key) {

    /** Which half of the pair a {@link Invalid} is about. */
    public enum Part { CERTIFICATE, KEY }

    /** Why a pair cannot serve, and which half is at fault. */
    public static final class Invalid extends Exception {
        private final Part part;

        Invalid(Part part, String message) {
            super(message);
            this.part = part;
        }

        public Part part() {
            return part;
        }
    }

    public PemKeyPair {
        chain = List.copyOf(chain);
    }

    /** @throws Invalid naming the half that does not parse, or the key when it does not match the certificate */
    public static PemKeyPair parse(String chainPem, String keyPem) throws Invalid {
        List<X509Certificate> chain = readCertificates(chainPem);
        PrivateKey key = privateKey(keyPem);
        if (!belongsTo(key, chain.getFirst().getPublicKey())) {
            throw new Invalid(Part.KEY, "does not belong to the certificate " + chain.getFirst().getSubjectX500Principal().getName()
                    + " (expected: the private key of the first certificate in tls.crt)");
        }
        return new PemKeyPair(chain, key);
    }

    /**
     * The DNS names the server certificate is for: its subject alternative names of type DNS, else (an old
     * certificate without them) the common name of its subject.
     */
    public List<String> dnsNames() {
        X509Certificate leaf = chain.getFirst();
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (Integer.valueOf(2).equals(alternative.get(0))) { // dNSName
                        names.add(((String) alternative.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable extension: fall back to the common name below
        }
        if (names.isEmpty()) {
            commonName(leaf.getSubjectX500Principal()).ifPresent(cn -> names.add(cn.toLowerCase(Locale.ROOT)));
        }
        return names;
    }

    /**
     * The certificates of a PEM chain, in order: the one half of a pair that can be read without the other.
     *
     * @throws Invalid (of the certificate) when it holds none or one does not parse
     */
    public static List<X509Certificate> readCertificates(String pem) throws Invalid {
        try {
            Collection<? extends java.security.cert.Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> chain = new ArrayList<>();
            for (java.security.cert.Certificate certificate : parsed) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new Invalid(Part.CERTIFICATE, "holds no certificate (expected: PEM blocks BEGIN CERTIFICATE)");
            }
            return chain;
        } catch (CertificateException e) {
            throw new Invalid(Part.CERTIFICATE, "certificate does not parse: " + firstLine(e.getMessage()) + " (expected: PEM X.509 certificates)");
        }
    }

    private static PrivateKey privateKey(String pem) throws Invalid {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            do {
                parsed = parser.readObject();
            } while (parsed != null && !(parsed instanceof PrivateKeyInfo) && !(parsed instanceof PEMKeyPair));
        } catch (IOException | RuntimeException e) {
            throw new Invalid(Part.KEY, "private key does not parse: " + firstLine(e.getMessage())
                    + " (expected: an unencrypted PEM key: BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        if (parsed == null) {
            throw new Invalid(Part.KEY, "holds no private key (expected: an unencrypted PEM key: BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        PrivateKey key;
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            key = converter.getPrivateKey(parsed instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : (PrivateKeyInfo) parsed);
        } catch (IOException | RuntimeException e) {
            throw new Invalid(Part.KEY, "private key of an unsupported kind: " + firstLine(e.getMessage()) + " (expected: RSA or EC)");
        }
        if (!key.getAlgorithm().equals("RSA") && !key.getAlgorithm().equals("EC")) {
            // Ed25519, Ed448, DSA: browsers accept none of them for a server, and BoringSSL through Netty fails the
            // handshake with an Ed25519 key (the JDK's TLS served it)
            throw new Invalid(Part.KEY, "a key of kind " + key.getAlgorithm() + ", which no browser accepts for a server certificate"
                    + " (expected: an RSA or ECDSA key)");
        }
        return key;
    }

    /** RSA by the modulus (no private-key operation); other kinds by signing a few bytes and verifying them. */
    private static boolean belongsTo(PrivateKey key, PublicKey certified) {
        if (key instanceof RSAKey rsa) {
            return certified instanceof RSAKey rsaCertified && rsa.getModulus().equals(rsaCertified.getModulus());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] probe = "berth".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of one kind, a certificate of another
        }
    }

    private static Optional<String> commonName(X500Principal subject) {
        for (String part : subject.getName(X500Principal.RFC2253).split(",")) {
            if (part.startsWith("CN=")) {
                return Optional.of(part.substring(3));
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
