package io.checkedmqtt.broker.tls;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key files in the forms OpenSSL writes, read with the JDK alone. Keys are made fresh here and
 * written out in each form (PKCS#1 and SEC1 by taking the inner key out of the JDK's PKCS#8), so
 * no key file is kept in the repository.
 */
class PemTest {

    private static KeyPair keys(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp384r1"));
        } else {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    /** The key inside a PKCS#8 PrivateKeyInfo: PKCS#1 for RSA, SEC1 (without its curve) for EC. */
    private static byte[] innerKey(PrivateKey key) {
        return Der.parse(key.getEncoded()).children().get(2).contents();
    }

    @Test
    @DisplayName("PKCS#8 'BEGIN PRIVATE KEY', RSA and EC")
    void pkcs8() throws Exception {
        for (String algorithm : List.of("RSA", "EC")) {
            PrivateKey key = keys(algorithm).getPrivate();
            PrivateKey read = Pem.privateKey(Pem.encode("PRIVATE KEY", key.getEncoded()));
            assertEquals(algorithm, read.getAlgorithm());
            assertArrayEquals(key.getEncoded(), read.getEncoded());
        }
    }

    @Test
    @DisplayName("PKCS#1 'BEGIN RSA PRIVATE KEY' is wrapped into PKCS#8")
    void pkcs1() throws Exception {
        PrivateKey key = keys("RSA").getPrivate();
        PrivateKey read = Pem.privateKey(Pem.encode("RSA PRIVATE KEY", innerKey(key)));
        assertArrayEquals(key.getEncoded(), read.getEncoded());
    }

    @Test
    @DisplayName("SEC1 'BEGIN EC PRIVATE KEY' with its curve, after an 'EC PARAMETERS' block, as openssl ecparam -genkey writes")
    void sec1() throws Exception {
        KeyPair pair = keys("EC");
        List<Der.Value> inner = Der.parse(innerKey(pair.getPrivate())).children();
        byte[] curve = Der.oid("1.3.132.0.34");   // secp384r1
        byte[] sec1 = Der.sequence(inner.get(0).encoded(), inner.get(1).encoded(), Der.explicit(0, curve));
        String file = Pem.encode("EC PARAMETERS", curve) + Pem.encode("EC PRIVATE KEY", sec1);
        PrivateKey read = Pem.privateKey(file);
        assertEquals("EC", read.getAlgorithm());
        assertEquals(((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS(),
                ((java.security.interfaces.ECPrivateKey) read).getS());

        byte[] noCurve = Der.sequence(inner.get(0).encoded(), inner.get(1).encoded());
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> Pem.privateKey(Pem.encode("EC PRIVATE KEY", noCurve)));
        assertTrue(e.getMessage().contains("curve"), e.getMessage());
    }

    @Test
    @DisplayName("encrypted keys, missing keys and broken base64 are refused with a message that says which")
    void refused() {
        assertTrue(assertThrows(GeneralSecurityException.class,
                () -> Pem.privateKey(Pem.encode("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0})))
                .getMessage().contains("encrypted"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"))
                .getMessage().contains("encrypted"));
        assertTrue(assertThrows(GeneralSecurityException.class, () -> Pem.privateKey("no pem here"))
                .getMessage().contains("no private key"));
        assertThrows(GeneralSecurityException.class,
                () -> Pem.privateKey("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n"));
        assertThrows(GeneralSecurityException.class,
                () -> Pem.privateKey(Pem.encode("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00})));
    }

    @Test
    @DisplayName("DER object identifiers round-trip, including arcs above 127")
    void oids() {
        for (String oid : List.of("1.2.840.10045.2.1", "2.5.29.35", "1.3.6.1.5.5.7.3.1", "1.2.840.113549.1.1.1")) {
            assertEquals(oid, Pem.oidText(Der.parse(Der.oid(oid))));
        }
    }

    @Test
    @DisplayName("the test CA's certificates verify, carry the server's names, and a JDK client accepts them as HTTPS would")
    void testAuthority(@TempDir Path directory) throws Exception {
        TestPki pki = new TestPki(directory);
        X509Certificate server = pki.server.certificate();
        server.verify(pki.authority.certificate().getPublicKey());
        pki.authority.certificate().verify(pki.authority.certificate().getPublicKey());
        assertTrue(pki.authority.certificate().getBasicConstraints() >= 0, "the CA is a CA");
        assertEquals(-1, server.getBasicConstraints(), "the server certificate is not");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage());
        assertTrue(server.getSubjectAlternativeNames().toString().contains("127.0.0.1"));
        assertTrue(server.getSubjectAlternativeNames().toString().contains("localhost"));
        server.checkValidity();
        assertTrue(server.getNotAfter().toInstant().isAfter(Instant.now().plusSeconds(9L * 365 * 86_400)));
        // the chain and key read back from the PEM files the fixture wrote
        assertEquals(server, Pem.certificates(Files.readString(pki.serverCert)).get(0));
        assertNotNull(Pem.privateKey(Files.readString(pki.serverKey)));
    }

    @Test
    @DisplayName("a PKCS#12 keystore instead of certfile/keyfile")
    void keystore(@TempDir Path directory) throws Exception {
        TestPki pki = new TestPki(directory);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", pki.server.key(), "secret".toCharArray(),
                new X509Certificate[] {pki.server.certificate()});
        Path file = directory.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "secret".toCharArray());
        }
        ServerTls tls = ServerTls.load(new TlsSettings(null, null, null, false, null, file, "secret"));
        LayerPair pair = new LayerPair(new TlsLayer(pki.clientEngine(false, "TLSv1.3")), tls.newLayer(), 1, 9000);
        pair.client.receive(java.nio.ByteBuffer.allocate(0));
        pair.pump();
        assertTrue(pair.server.established());
        Exception wrongPassword = assertThrows(java.io.IOException.class,
                () -> ServerTls.load(new TlsSettings(null, null, null, false, null, file, "wrong")));
        assertTrue(wrongPassword.getMessage().contains("server.p12"), wrongPassword.getMessage());
    }

    @Test
    @DisplayName("test-server certificates: made once in the directory, the key readable by its owner only, then reused")
    void testServerCertificates(@TempDir Path directory) throws Exception {
        Path dir = directory.resolve("test-ca");
        TlsSettings first = TestServerCertificates.ensure(dir);
        String ca = Files.readString(TestServerCertificates.caFile(dir));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.keyFile())));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.certFile())),
                "clients running as other users read the certificates");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                TestServerCertificates.caFile(dir))));
        TlsSettings again = TestServerCertificates.ensure(dir);
        assertEquals(ca, Files.readString(TestServerCertificates.caFile(dir)), "not made anew");
        assertEquals(first, again);
        List<X509Certificate> chain = Pem.certificates(Files.readString(first.certFile()));
        chain.get(0).verify(Pem.certificates(ca).get(0).getPublicKey());
        assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".tmp")));
        // a missing file makes the set anew
        Files.delete(first.keyFile());
        TestServerCertificates.ensure(dir);
        assertTrue(!ca.equals(Files.readString(TestServerCertificates.caFile(dir))));
        assertNotNull(ServerTls.load(TestServerCertificates.ensure(dir)).newLayer());
    }
}
