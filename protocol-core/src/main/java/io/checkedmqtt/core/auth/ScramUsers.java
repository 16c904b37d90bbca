package io.checkedmqtt.core.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The SCRAM-SHA-256 users a server knows, and what it answers for a user it does not know.
 *
 * <p>RFC 5802 section 5.1 lets a server hide whether a user exists by running the exchange with
 * made-up credentials and failing at the end. This class makes them up deterministically from
 * {@code decoySecret} and the user name (the salt is an HMAC of the name), so asking twice gives
 * the same salt, as it would for a real user. The shell draws the secret once at start.
 */
public final class ScramUsers {

    private final Map<String, ScramCredential> credentials;
    private final byte[] decoySecret;

    public ScramUsers(Map<String, ScramCredential> credentials, byte[] decoySecret) {
        this.credentials = Map.copyOf(credentials);
        this.decoySecret = Objects.requireNonNull(decoySecret, "decoySecret").clone();
    }

    public int size() {
        return credentials.size();
    }

    /** The stored credential of {@code username}, or null. */
    public ScramCredential credential(String username) {
        return credentials.get(username);
    }

    /** Credentials for a user that does not exist: they look real, and no proof matches them. */
    ScramCredential decoy(String username) {
        byte[] salt = Arrays.copyOf(ScramCrypto.hmac(decoySecret, username.getBytes(StandardCharsets.UTF_8)), 16);
        byte[] noKey = ScramCrypto.hmac(decoySecret, salt);
        return new ScramCredential(salt, ScramCredential.RECOMMENDED_ITERATIONS, noKey, noKey);
    }
}
