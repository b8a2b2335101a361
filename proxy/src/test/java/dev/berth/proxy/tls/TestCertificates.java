package dev.berth.proxy.tls;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Test helper: a certificate authority of its own and the server certificates it issues, written as PEM the way
 * Kubernetes TLS Secrets hold them, with the private key in any of the three forms those Secrets carry.
 */
public final class TestCertificates {
    /** How a private key is written: {@code BEGIN PRIVATE KEY}, or {@code BEGIN RSA/EC PRIVATE KEY}. */
    public enum KeyForm { PKCS8, TRADITIONAL }

    /** A certificate and its key as PEM, and the certificate itself for assertions. */
    public record Issued(String certificatePem, String keyPem, X509Certificate certificate) {}

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    private static final X500Name CA_NAME = new X500Name("CN=Berth test CA");

    private final KeyPair caKeys;
    private final X509Certificate ca;

    public TestCertificates() throws Exception {
        caKeys = ecKeys();
        JcaX509v3CertificateBuilder builder = builder(CA_NAME, CA_NAME, caKeys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        ca = new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    /** The authority's certificate as PEM, for a client's trust ({@code curl --cacert}). */
    public String caPem() throws Exception {
        return pem(ca);
    }

    /** An ECDSA P-256 server certificate for these DNS names (none: only a common name), signed by this authority. */
    public Issued issue(String commonName, KeyForm form, String... dnsNames) throws Exception {
        return issue(ecKeys(), commonName, form, dnsNames);
    }

    /** The same with an RSA 2048 key. */
    public Issued issueRsa(String commonName, KeyForm form, String... dnsNames) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return issue(generator.generateKeyPair(), commonName, form, dnsNames);
    }

    /** The same with an Ed25519 key (PKCS#8 is its only PEM form). */
    public Issued issueEd25519(String commonName, String... dnsNames) throws Exception {
        return issue(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), commonName, KeyForm.PKCS8, dnsNames);
    }

    private Issued issue(KeyPair keys, String commonName, KeyForm form, String... dnsNames) throws Exception {
        JcaX509v3CertificateBuilder builder = builder(CA_NAME, new X500Name("CN=" + commonName), keys);
        if (dnsNames.length > 0) {
            GeneralName[] names = Arrays.stream(dnsNames).map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        return new Issued(pem(certificate), pem(keyObject(keys.getPrivate(), form)), certificate);
    }

    /**
     * PKCS#8 as it is; RSA keys in their traditional form as BouncyCastle writes them (PKCS#1); EC keys as OpenSSL
     * writes SEC1, with the curve inside (BouncyCastle would leave it out of a JDK key, which no real Secret does).
     */
    private static Object keyObject(PrivateKey key, KeyForm form) throws Exception {
        if (form == KeyForm.PKCS8) {
            return new JcaPKCS8Generator(key, null);
        }
        if (!key.getAlgorithm().equals("EC")) {
            return key;
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters());
        return new PemObject("EC PRIVATE KEY", sec1.getEncoded());
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
