package dev.berth.benchmarks.tls;

import dev.berth.proxy.tls.PemKeyPair;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link PemKeyPair#parse}: a TLS Secret's {@code tls.crt} and {@code tls.key} read as the HTTPS listener and
 * validation read them (both PEM halves, and a signature made and checked to show the key fits the certificate), for
 * the two key kinds cert-manager issues. Validation pays it once per Secret content, not per configuration
 * generation; this says what that saves with many Secrets and endpoint churn.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PemKeyPairBenchmark {

    /** The key kind of the certificate. */
    public enum Key {
        ECDSA_P256("EC", "SHA256withECDSA"),
        RSA_2048("RSA", "SHA256withRSA");

        final String algorithm;
        final String signature;

        Key(String algorithm, String signature) {
            this.algorithm = algorithm;
            this.signature = signature;
        }
    }

    @Param
    public Key key;

    private String certificatePem;
    private String keyPem;

    @Setup
    public void issue() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(key.algorithm);
        if (key == Key.ECDSA_P256) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=site.example.com");
        Instant now = Instant.now();
        var certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                Date.from(now), Date.from(now.plus(Duration.ofDays(90))), subject, pair.getPublic())
                .build(new JcaContentSignerBuilder(key.signature).build(pair.getPrivate())));
        certificatePem = pem(certificate);
        keyPem = pem(new JcaPKCS8Generator(pair.getPrivate(), null)); // PKCS#8: BouncyCastle's SEC1 of a JDK key would lack its curve
    }

    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    @Benchmark
    public PemKeyPair parse() throws PemKeyPair.Invalid {
        return PemKeyPair.parse(certificatePem, keyPem);
    }
}
