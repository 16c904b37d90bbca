package io.checkedmqtt.core.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * The two primitives of SCRAM-SHA-256 (RFC 5802 section 2.2): {@code H} is SHA-256 and
 * {@code HMAC} is HMAC-SHA-256, both algorithms every Java platform must provide. A whole
 * exchange costs two HMACs and one hash on the server (the slow salted hash was done when the
 * credential was stored), so it runs in the core, on the connection's own step.
 */
final class ScramCrypto {

    static final int KEY_BYTES = 32;

    private ScramCrypto() {
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required on every Java platform", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required on every Java platform", e);
        }
    }

    /** a XOR b, for arrays of the same length. */
    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }
}
