package io.checkedmqtt.broker.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * PEM files as Mosquitto users have them: certificates, and private keys in the three unencrypted
 * forms OpenSSL writes ({@code PRIVATE KEY}: PKCS#8; {@code RSA PRIVATE KEY}: PKCS#1;
 * {@code EC PRIVATE KEY}: SEC1). The JDK reads only PKCS#8, so the other two are wrapped into
 * PKCS#8 here, with {@link Der}. Encrypted keys are refused with a message that says so.
 */
public final class Pem {

    /** One {@code -----BEGIN label-----} block. */
    record Block(String label, byte[] der) {
    }

    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    /** Ed25519 and Ed448: PKCS#8 only, but their algorithm name must be guessed from the OID. */
    private static final String ED25519 = "1.3.101.112";
    private static final String ED448 = "1.3.101.113";

    private Pem() {
    }

    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", at);
            if (begin < 0) {
                return blocks;
            }
            int labelEnd = text.indexOf("-----", begin + 11);
            if (labelEnd < 0) {
                throw new IllegalArgumentException("PEM: unterminated BEGIN line");
            }
            String label = text.substring(begin + 11, labelEnd);
            String endLine = "-----END " + label + "-----";
            int end = text.indexOf(endLine, labelEnd);
            if (end < 0) {
                throw new IllegalArgumentException("PEM: no '" + endLine + "'");
            }
            String body = text.substring(labelEnd + 5, end);
            if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
                throw new IllegalArgumentException("PEM: the " + label
                        + " is encrypted; give an unencrypted key (openssl pkey -in KEY -out PLAIN)");
            }
            try {
                blocks.add(new Block(label, Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PEM: the " + label + " block is not valid base64");
            }
            at = end + endLine.length();
        }
    }

    /** Every certificate in the text, in order (a chain: the server's own first). */
    public static List<X509Certificate> certificates(String text) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(text)) {
            if (block.label().equals("CERTIFICATE") || block.label().equals("TRUSTED CERTIFICATE")) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        if (certificates.isEmpty()) {
            throw new CertificateException("no '-----BEGIN CERTIFICATE-----' block");
        }
        return certificates;
    }

    /** The one private key in the text, whichever of PKCS#8, PKCS#1 (RSA) or SEC1 (EC) it is written in. */
    public static PrivateKey privateKey(String text) throws GeneralSecurityException {
        for (Block block : blocks(text)) {
            switch (block.label()) {
                case "PRIVATE KEY":
                    return fromPkcs8(block.der());
                case "RSA PRIVATE KEY":
                    return fromPkcs8(pkcs8FromPkcs1(block.der()));
                case "EC PRIVATE KEY":
                    return fromPkcs8(pkcs8FromSec1(block.der()));
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException("the private key is encrypted (PKCS#8); give an unencrypted"
                            + " key (openssl pkey -in KEY -out PLAIN)");
                default:
                    // EC PARAMETERS before an EC key, or a certificate in the same file: skip
            }
        }
        throw new GeneralSecurityException("no private key block (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    static PrivateKey fromPkcs8(byte[] pkcs8) throws GeneralSecurityException {
        String algorithm;
        try {
            List<Der.Value> fields = Der.parse(pkcs8).children();
            String oid = oidText(fields.get(1).children().get(0));
            algorithm = switch (oid) {
                case RSA_ENCRYPTION -> "RSA";
                case EC_PUBLIC_KEY -> "EC";
                case ED25519, ED448 -> "EdDSA";
                case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
                default -> throw new GeneralSecurityException("unsupported private key algorithm " + oid);
            };
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new GeneralSecurityException("not a PKCS#8 private key: " + e.getMessage());
        }
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    /** PKCS#1 RSAPrivateKey is exactly the inner key of a PKCS#8 PrivateKeyInfo for rsaEncryption. */
    static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        return Der.sequence(Der.integer(0), Der.sequence(Der.oid(RSA_ENCRYPTION), Der.nullValue()),
                Der.octetString(pkcs1));
    }

    /**
     * SEC1 ECPrivateKey ({@code version, privateKey, [0] curve, [1] publicKey}) names its curve
     * inside; PKCS#8 names it in the algorithm identifier, so it is copied out to there.
     */
    static byte[] pkcs8FromSec1(byte[] sec1) throws GeneralSecurityException {
        byte[] curve = null;
        try {
            for (Der.Value field : Der.parse(sec1).children()) {
                if (field.tag() == 0xA0) {
                    curve = field.children().get(0).encoded();
                }
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new GeneralSecurityException("not a SEC1 EC private key: " + e.getMessage());
        }
        if (curve == null || curve[0] != Der.OID) {
            throw new GeneralSecurityException("the EC private key does not name its curve");
        }
        return Der.sequence(Der.integer(0), Der.sequence(Der.oid(EC_PUBLIC_KEY), curve), Der.octetString(sec1));
    }

    static String oidText(Der.Value oid) {
        byte[] bytes = oid.contents();
        StringBuilder text = new StringBuilder();
        long arc = 0;
        boolean first = true;
        for (byte b : bytes) {
            arc = (arc << 7) | (b & 0x7F);
            if ((b & 0x80) == 0) {
                if (first) {
                    long top = Math.min(arc / 40, 2);
                    text.append(top).append('.').append(arc - top * 40);
                    first = false;
                } else {
                    text.append('.').append(arc);
                }
                arc = 0;
            }
        }
        return text.toString();
    }

    /** {@code der} as a PEM block with the given label, 64 characters a line. */
    public static String encode(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + label.toUpperCase(Locale.ROOT) + "-----\n" + base64 + "\n-----END "
                + label.toUpperCase(Locale.ROOT) + "-----\n";
    }
}
