package io.checkedmqtt.broker.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * One password hash as {@code mosquitto_passwd} writes it, and the check of a password against
 * it. Two formats exist (Mosquitto 2.0, {@code src/password_mosq.c}):
 * <pre>
 *   $7$ITERATIONS$BASE64(SALT)$BASE64(PBKDF2-HMAC-SHA512(password, salt, ITERATIONS, 64 bytes))
 *   $6$BASE64(SALT)$BASE64(SHA-512(password || salt))
 * </pre>
 * {@code $7$} is what {@code mosquitto_passwd} writes by default (101 iterations, 12-byte salt);
 * {@code $6$} is what Mosquitto 1.6 and older wrote, and {@code -H sha512} still does. Despite
 * the prefix, {@code $6$} is not glibc's SHA-crypt: it is one SHA-512 over the password followed
 * by the salt.
 *
 * <p>The password is the CONNECT Password field as bytes, all of them (Mosquitto stops at the
 * first zero byte, which lets {@code "secret\0anything"} in; this class does not).
 */
public final class PasswordHash {

    private static final int SHA512_BYTES = 64;

    private final int iterations; // 0 for $6$
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Parses the part after {@code username:}; the message says what is wrong. */
    public static PasswordHash parse(String text) {
        String[] parts = text.split("\\$", -1);
        if (parts.length < 2 || !parts[0].isEmpty()) {
            throw new IllegalArgumentException("not a mosquitto_passwd hash (it must start with $6$ or $7$)");
        }
        if (parts[1].equals("7") && parts.length == 5) {
            int iterations;
            try {
                iterations = Integer.parseInt(parts[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("$7$ iteration count is not a number: " + parts[2]);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("$7$ iteration count must be positive: " + iterations);
            }
            return new PasswordHash(iterations, decode(parts[3], "salt"), decodeHash(parts[4]));
        }
        if (parts[1].equals("6") && parts.length == 4) {
            return new PasswordHash(0, decode(parts[2], "salt"), decodeHash(parts[3]));
        }
        throw new IllegalArgumentException("unknown hash type $" + parts[1] + "$ (mosquitto_passwd writes $7$ and $6$)");
    }

    private static byte[] decode(String base64, String what) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64");
        }
    }

    private static byte[] decodeHash(String base64) {
        byte[] hash = decode(base64, "hash");
        if (hash.length != SHA512_BYTES) {
            throw new IllegalArgumentException("hash has " + hash.length + " bytes, SHA-512 has 64");
        }
        return hash;
    }

    /** A {@code $7$} hash of {@code password}, as {@code mosquitto_passwd} would write it for this salt. */
    public static PasswordHash pbkdf2(byte[] password, byte[] salt, int iterations) {
        return new PasswordHash(iterations, salt.clone(), pbkdf2Sha512(password, salt, iterations));
    }

    /** The hash in the file's notation. */
    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder();
        return iterations == 0 ? "$6$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash)
                : "$7$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Whether {@code password} hashes to this hash; compares in constant time. */
    public boolean matches(byte[] password) {
        byte[] computed = iterations == 0 ? sha512(password, salt) : pbkdf2Sha512(password, salt, iterations);
        return MessageDigest.isEqual(computed, hash);
    }

    private static byte[] sha512(byte[] password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(password);
            md.update(salt);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 is required on every Java platform", e);
        }
    }

    private static byte[] pbkdf2Sha512(byte[] password, byte[] salt, int iterations) {
        return Pbkdf2.firstBlock("HmacSHA512", password, salt, iterations);
    }

}
