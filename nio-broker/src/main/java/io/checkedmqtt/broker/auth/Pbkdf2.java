package io.checkedmqtt.broker.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * PBKDF2 (RFC 8018 section 5.2) for one output block, over the password's bytes as they are:
 * the JDK's {@code SecretKeyFactory} wants a {@code char[]} and would re-encode it, while an MQTT
 * password is binary data. One block is all Mosquitto's {@code $7$} (64 bytes of HMAC-SHA-512)
 * and SCRAM-SHA-256's {@code Hi()} (32 bytes of HMAC-SHA-256) need.
 */
final class Pbkdf2 {

    private Pbkdf2() {
    }

    /** {@code macAlgorithm} is a JDK Mac name: "HmacSHA512", "HmacSHA256". */
    static byte[] firstBlock(String macAlgorithm, byte[] password, byte[] salt, int iterations) {
        Mac mac = mac(macAlgorithm, password);
        mac.update(salt);
        byte[] u = mac.doFinal(new byte[]{0, 0, 0, 1});
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    /** A keyed Mac; HMAC pads a short key with zeros, so the empty key is the one-zero-byte key. */
    static Mac mac(String macAlgorithm, byte[] key) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, macAlgorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(macAlgorithm + " is required on every Java platform", e);
        }
    }
}
