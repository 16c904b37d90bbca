package io.checkedmqtt.core.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a server stores for one SCRAM-SHA-256 user (RFC 5802 section 3): never the password,
 * only the salt and iteration count it was hashed with and the two keys derived from it.
 * {@code StoredKey = SHA-256(HMAC(SaltedPassword, "Client Key"))} checks the client's proof;
 * {@code ServerKey = HMAC(SaltedPassword, "Server Key")} signs the server's answer.
 */
public record ScramCredential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    /** RFC 7677 section 4: the iteration count SHOULD be at least 4096. */
    public static final int RECOMMENDED_ITERATIONS = 4096;

    public ScramCredential {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(storedKey, "storedKey");
        Objects.requireNonNull(serverKey, "serverKey");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        if (storedKey.length != ScramCrypto.KEY_BYTES || serverKey.length != ScramCrypto.KEY_BYTES) {
            throw new IllegalArgumentException("SCRAM-SHA-256 keys are 32 bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    byte[] storedKeyShared() {
        return storedKey;
    }

    byte[] serverKeyShared() {
        return serverKey;
    }

    byte[] saltShared() {
        return salt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredential c && iterations == c.iterations && Arrays.equals(salt, c.salt)
                && Arrays.equals(storedKey, c.storedKey) && Arrays.equals(serverKey, c.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey), Arrays.hashCode(serverKey));
    }

    @Override
    public String toString() {
        return "ScramCredential[iterations=" + iterations + ", keys=***]";
    }
}
