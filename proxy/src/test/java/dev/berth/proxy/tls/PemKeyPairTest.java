package dev.berth.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proxy.tls.TestCertificates.Issued;
import dev.berth.proxy.tls.TestCertificates.KeyForm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every key form a Kubernetes TLS Secret may hold, and the mistakes a Secret may carry. */
class PemKeyPairTest {
    private static TestCertificates ca;

    @BeforeAll
    static void authority() throws Exception {
        ca = new TestCertificates();
    }

    @Test
    void readsPkcs8Pkcs1AndSec1Keys() throws Exception {
        Issued pkcs8 = ca.issue("a", KeyForm.PKCS8, "a.example");
        Issued sec1 = ca.issue("b", KeyForm.TRADITIONAL, "b.example");
        Issued pkcs1 = ca.issueRsa("c", KeyForm.TRADITIONAL, "c.example");
        assertThat(pkcs8.keyPem()).contains("BEGIN PRIVATE KEY");
        assertThat(sec1.keyPem()).contains("BEGIN EC PRIVATE KEY");
        assertThat(pkcs1.keyPem()).contains("BEGIN RSA PRIVATE KEY");
        assertThat(PemKeyPair.parse(pkcs8.certificatePem(), pkcs8.keyPem()).key().getAlgorithm()).isEqualTo("EC");
        assertThat(PemKeyPair.parse(sec1.certificatePem(), sec1.keyPem()).key().getAlgorithm()).isEqualTo("EC");
        assertThat(PemKeyPair.parse(pkcs1.certificatePem(), pkcs1.keyPem()).key().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void keepsTheChainInOrder() throws Exception {
        Issued leaf = ca.issue("leaf", KeyForm.PKCS8, "leaf.example");
        PemKeyPair pair = PemKeyPair.parse(leaf.certificatePem() + ca.caPem(), leaf.keyPem());
        assertThat(pair.chain()).hasSize(2);
        assertThat(pair.chain().getFirst()).isEqualTo(leaf.certificate());
    }

    @Test
    void namesAreTheDnsAlternativeNamesElseTheCommonName() throws Exception {
        Issued withNames = ca.issue("ignored", KeyForm.PKCS8, "Shop.Example", "*.shop.example");
        Issued commonNameOnly = ca.issue("legacy.example", KeyForm.PKCS8);
        assertThat(PemKeyPair.parse(withNames.certificatePem(), withNames.keyPem()).dnsNames()).containsExactly("shop.example", "*.shop.example");
        assertThat(PemKeyPair.parse(commonNameOnly.certificatePem(), commonNameOnly.keyPem()).dnsNames()).containsExactly("legacy.example");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAsTheKey() throws Exception {
        Issued one = ca.issue("one", KeyForm.PKCS8, "one.example");
        Issued other = ca.issue("other", KeyForm.PKCS8, "other.example");
        Issued rsa = ca.issueRsa("rsa", KeyForm.TRADITIONAL, "rsa.example");
        Issued otherRsa = ca.issueRsa("rsa2", KeyForm.TRADITIONAL, "rsa2.example");
        assertInvalid(one.certificatePem(), other.keyPem(), PemKeyPair.Part.KEY, "does not belong to the certificate CN=one");
        assertInvalid(rsa.certificatePem(), otherRsa.keyPem(), PemKeyPair.Part.KEY, "does not belong");
        assertInvalid(rsa.certificatePem(), one.keyPem(), PemKeyPair.Part.KEY, "does not belong");
    }

    @Test
    void anEd25519KeyIsRefusedSayingWhy() throws Exception {
        Issued ed = ca.issueEd25519("ed", "ed.example");
        assertInvalid(ed.certificatePem(), ed.keyPem(), PemKeyPair.Part.KEY, "a key of kind EdDSA, which no browser accepts for a server certificate");
    }

    @Test
    void brokenHalvesAreNamed() throws Exception {
        Issued one = ca.issue("one", KeyForm.PKCS8, "one.example");
        assertInvalid("not a certificate", one.keyPem(), PemKeyPair.Part.CERTIFICATE, "");
        assertInvalid(one.certificatePem(), "no key here", PemKeyPair.Part.KEY, "holds no private key");
        assertInvalid(one.certificatePem(), one.certificatePem(), PemKeyPair.Part.KEY, "holds no private key");
    }

    private static void assertInvalid(String chain, String key, PemKeyPair.Part part, String message) {
        assertThatThrownBy(() -> PemKeyPair.parse(chain, key))
                .isInstanceOfSatisfying(PemKeyPair.Invalid.class, invalid -> assertThat(invalid.part()).isEqualTo(part))
                .hasMessageContaining(message);
    }
}
