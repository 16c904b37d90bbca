package io.checkedmqtt.broker.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A certificate authority for testing only: it makes a self-signed CA and issues server and
 * client certificates, with the JDK alone (X.509 written with {@link Der}, signed by
 * {@link Signature} with ECDSA P-256 and SHA-256). The broker's test-server mode uses it when no
 * certificate is configured, and tests use it to make client certificates. Nothing it makes
 * should protect anything real.
 */
public final class TestAuthority {

    /** What a certificate issued by the authority is for. */
    public enum Purpose {
        SERVER("1.3.6.1.5.5.7.3.1"),
        CLIENT("1.3.6.1.5.5.7.3.2");

        private final String extendedKeyUsage;

        Purpose(String extendedKeyUsage) {
            this.extendedKeyUsage = extendedKeyUsage;
        }
    }

    /** A certificate and the private key that goes with it. */
    public record Issued(X509Certificate certificate, PrivateKey key) {

        public String certificatePem() {
            try {
                return Pem.encode("CERTIFICATE", certificate.getEncoded());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
        public String keyPem() {
            return Pem.encode("PRIVATE KEY", key.getEncoded());
        }
    }

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String AUTHORITY_KEY_ID = "2.5.29.35";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    /** keyUsage bits, first byte: digitalSignature (bit 0) and keyCertSign (bit 5), as in RFC 5280. */
    private static final int DIGITAL_SIGNATURE = 0x80;
    private static final int KEY_CERT_SIGN = 0x04;
    private static final int CRL_SIGN = 0x02;
    private static final String ORGANIZATION_NAME = "checked-mqtt test CA (for testing only)";

    private final Issued authority;
    private final byte[] name;
    private final SecureRandom random;

    private TestAuthority(Issued authority, byte[] name, SecureRandom random) {
        this.authority = authority;
        this.name = name;
        this.random = random;
    }

    /** A new self-signed authority named {@code commonName}, valid from a day before {@code now} for ten years. */
    public static TestAuthority create(String commonName, Instant now, SecureRandom random)
            throws GeneralSecurityException {
        KeyPair keys = newKeyPair(random);
        byte[] name = name(commonName);
        byte[] extensions = Der.sequence(
                extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                extension(KEY_USAGE, true, keyUsage(KEY_CERT_SIGN | CRL_SIGN | DIGITAL_SIGNATURE)),
                extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(keys.getPublic()))));
        X509Certificate certificate = sign(serial(random), name, name, now, keys.getPublic(), extensions,
                keys.getPrivate());
        return new TestAuthority(new Issued(certificate, keys.getPrivate()), name, random);
    }

    public X509Certificate certificate() {
        return authority.certificate();
    }

    public Issued self() {
        return authority;
    }

    /**
     * Issues a certificate for {@code commonName}; a server certificate carries {@code hostNames}
     * and {@code addresses} as subject alternative names, which is what TLS clients check.
     */
    public Issued issue(String commonName, Purpose purpose, List<String> hostNames, List<InetAddress> addresses,
                        Instant now) throws GeneralSecurityException {
        KeyPair keys = newKeyPair(random);
        List<byte[]> altNames = new ArrayList<>();
        for (String host : hostNames) {
            altNames.add(Der.value(0x82, host.getBytes(StandardCharsets.US_ASCII)));   // [2] dNSName
        }
        for (InetAddress address : addresses) {
            altNames.add(Der.value(0x87, address.getAddress()));                       // [7] iPAddress
        }
        List<byte[]> extensions = new ArrayList<>(List.of(
                extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                extension(KEY_USAGE, true, keyUsage(DIGITAL_SIGNATURE)),
                extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(purpose.extendedKeyUsage))),
                extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(keys.getPublic()))),
                extension(AUTHORITY_KEY_ID, false,
                        Der.sequence(Der.value(0x80, keyId(authority.certificate().getPublicKey()))))));
        if (!altNames.isEmpty()) {
            extensions.add(extension(SUBJECT_ALT_NAME, false, Der.sequence(altNames.toArray(new byte[0][]))));
        }
        X509Certificate certificate = sign(serial(random), name, name(commonName), now, keys.getPublic(),
                Der.sequence(extensions.toArray(new byte[0][])), authority.key());
        return new Issued(certificate, keys.getPrivate());
    }

    private static KeyPair newKeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(BigInteger serial, byte[] issuer, byte[] subject, Instant now,
                                        PublicKey subjectKey, byte[] extensions, PrivateKey issuerKey)
            throws GeneralSecurityException {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        Instant from = now.minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant until = ZonedDateTime.ofInstant(from, ZoneOffset.UTC).plusYears(10).toInstant();
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)),    // version 3
                Der.integer(serial),
                algorithm,
                issuer,
                Der.sequence(time(from), time(until)),
                subject,
                subjectKey.getEncoded(),             // SubjectPublicKeyInfo, as the JDK encodes it
                Der.explicit(3, extensions));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(issuerKey);
        signer.update(tbs);
        byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }

    private static byte[] name(String commonName) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8(ORGANIZATION_NAME))),
                Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[] keyUsage(int firstByte) {
        // DER drops trailing zero bits: the unused-bit count says how many of the last byte's are padding
        int unused = Integer.numberOfTrailingZeros(firstByte);
        return Der.value(Der.BIT_STRING, new byte[] {(byte) unused, (byte) firstByte});
    }

    /** RFC 5280 method 1 key identifier: SHA-1 of the public key bits. */
    private static byte[] keyId(PublicKey key) throws GeneralSecurityException {
        List<Der.Value> spki = Der.parse(key.getEncoded()).children();
        byte[] bits = spki.get(1).contents();
        return MessageDigest.getInstance("SHA-1").digest(Arrays.copyOfRange(bits, 1, bits.length));
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);   // positive, at most 16 bytes
    }

    private static byte[] time(Instant instant) {
        ZonedDateTime utc = ZonedDateTime.ofInstant(instant, ZoneOffset.UTC);
        // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050
        if (utc.getYear() < 2050) {
            return Der.value(Der.UTC_TIME, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(utc)
                    .getBytes(StandardCharsets.US_ASCII));
        }
        return Der.value(Der.GENERALIZED_TIME, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(utc)
                .getBytes(StandardCharsets.US_ASCII));
    }
}
