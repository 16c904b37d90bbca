package io.checkedmqtt.broker.auth;

import io.checkedmqtt.core.auth.ScramCredential;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SCRAM-SHA-256 users of 5.0 enhanced authentication, one per line, in the notation
 * PostgreSQL stores them in (after RFC 5803):
 * <pre>
 *   username:SCRAM-SHA-256$ITERATIONS:BASE64(SALT)$BASE64(StoredKey):BASE64(ServerKey)
 * </pre>
 * {@code #} comment lines and blank lines are skipped; anything else that does not parse is an
 * error naming its line, and the file is refused. {@link #entry} writes a line for a password
 * ({@code java -jar checked-mqtt-broker.jar --scram-entry USER PASSWORD} prints one), so the file
 * never holds a password.
 */
public final class ScramFile {

    private static final String PREFIX = "SCRAM-SHA-256$";

    private ScramFile() {
    }

    public static Map<String, ScramCredential> parse(List<String> lines, String source) throws AuthFileException {
        Map<String, ScramCredential> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String user = colon < 0 ? "" : line.substring(0, colon).strip();
            if (user.isEmpty()) {
                throw AuthFileException.at(source, i + 1, "expected username:SCRAM-SHA-256$...");
            }
            ScramCredential credential;
            try {
                credential = credential(line.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw AuthFileException.at(source, i + 1, "user " + user + ": " + e.getMessage());
            }
            if (users.putIfAbsent(user, credential) != null) {
                throw AuthFileException.at(source, i + 1, "user " + user + " is listed twice");
            }
        }
        return users;
    }

    static ScramCredential credential(String text) {
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("the entry must start with " + PREFIX);
        }
        String[] halves = text.substring(PREFIX.length()).split("\\$", -1);
        String[] head = halves[0].split(":", -1);
        String[] keys = halves.length == 2 ? halves[1].split(":", -1) : new String[0];
        if (head.length != 2 || keys.length != 2) {
            throw new IllegalArgumentException("expected ITERATIONS:SALT$STOREDKEY:SERVERKEY");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return new ScramCredential(b64.decode(head[1]), Integer.parseInt(head[0]), b64.decode(keys[0]),
                    b64.decode(keys[1]));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException("bad iteration count, base64 or key length: " + e.getMessage());
        }
    }

    /** The file line for {@code user} with {@code password}, salted with {@code salt}. */
    public static String entry(String user, String password, byte[] salt, int iterations) {
        byte[] salted = Pbkdf2.firstBlock("HmacSHA256", password.getBytes(StandardCharsets.UTF_8), salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] serverKey = hmac(salted, "Server Key");
        byte[] storedKey;
        try {
            storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        return user + ":" + PREFIX + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey)
                + ":" + b64.encodeToString(serverKey);
    }

    private static byte[] hmac(byte[] key, String text) {
        return Pbkdf2.mac("HmacSHA256", key).doFinal(text.getBytes(StandardCharsets.US_ASCII));
    }
}
