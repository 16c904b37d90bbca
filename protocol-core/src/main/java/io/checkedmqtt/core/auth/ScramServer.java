package io.checkedmqtt.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802 section 5, RFC 7677), as two pure
 * steps. Messages are the SASL texts themselves; carrying them in CONNECT and AUTH packets is
 * the broker's job.
 *
 * <pre>
 *   client-first   n,,n=user,r=CLIENTNONCE                         -> {@link #clientFirst}
 *   server-first   r=CLIENTNONCE+SERVERNONCE,s=SALT,i=4096         <- {@link Reply.Challenge}
 *   client-final   c=biws,r=CLIENTNONCE+SERVERNONCE,p=PROOF        -> {@link #clientFinal}
 *   server-final   v=SERVERSIGNATURE                               <- {@link Reply.Success}
 * </pre>
 *
 * <p>Channel binding is not supported: the GS2 header must be {@code n,,} (the client does not
 * bind) or {@code y,,} (it could, but believes the server cannot, which is true; RFC 5802
 * section 6), and an authorization identity ({@code a=}) is refused. User names are compared as
 * sent (after undoing the {@code =2C} / {@code =3D} escapes), without SASLprep.
 */
public final class ScramServer {

    /** The MQTT 5.0 Authentication Method name of this mechanism (the SASL name, RFC 7677). */
    public static final String METHOD = "SCRAM-SHA-256";

    private ScramServer() {
    }

    /** What the server answers to one client message. */
    public sealed interface Reply {

        /** The server-first-message, and what the server must remember for the client's reply. */
        record Challenge(byte[] serverFirst, Pending pending) implements Reply {
        }

        /** The proof was right: the server-final-message, and who authenticated. */
        record Success(byte[] serverFinal, String username) implements Reply {
        }

        /** The exchange failed; {@code detail} is for the log, never for the client. */
        record Failure(String detail) implements Reply {
        }
    }

    /**
     * The state between the server-first-message and the client-final-message.
     *
     * @param username        the user the client claims to be
     * @param gs2Header       the client's GS2 header, which its final message must echo
     * @param authPrefix      client-first-message-bare + "," + server-first-message
     * @param nonce           client nonce followed by server nonce
     * @param credential      the stored credential, or a decoy for an unknown user
     * @param knownUser       false when {@code credential} is a decoy: the exchange must fail
     */
    public record Pending(String username, String gs2Header, String authPrefix, String nonce,
                          ScramCredential credential, boolean knownUser) {
        public Pending {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(credential, "credential");
        }
    }

    /**
     * The client-first-message arrived. {@code serverNonce} is fresh randomness from the shell,
     * written in characters a nonce may contain (printable ASCII except ','; the shell uses base64
     * of 18 random bytes) and at least 16 characters long.
     */
    public static Reply clientFirst(byte[] message, ScramUsers users, String serverNonce) {
        if (message == null) {
            return new Reply.Failure("no client-first-message");
        }
        String text = new String(message, StandardCharsets.UTF_8);
        int firstComma = text.indexOf(',');
        int secondComma = firstComma < 0 ? -1 : text.indexOf(',', firstComma + 1);
        if (secondComma < 0) {
            return new Reply.Failure("client-first-message has no GS2 header");
        }
        String flag = text.substring(0, firstComma);
        if (flag.startsWith("p=")) {
            return new Reply.Failure("channel binding is not supported");
        }
        if (!flag.equals("n") && !flag.equals("y")) {
            return new Reply.Failure("bad GS2 channel binding flag '" + flag + "'");
        }
        if (secondComma != firstComma + 1) {
            return new Reply.Failure("an authorization identity is not supported");
        }
        String gs2Header = text.substring(0, secondComma + 1);
        String bare = text.substring(secondComma + 1);
        String[] attributes = bare.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            return new Reply.Failure("client-first-message must start n=USER,r=NONCE");
        }
        String username = decodeSaslName(attributes[0].substring(2));
        String clientNonce = attributes[1].substring(2);
        if (username == null || username.isEmpty()) {
            return new Reply.Failure("bad user name in client-first-message");
        }
        if (!isNonce(clientNonce)) {
            return new Reply.Failure("bad client nonce");
        }
        if (serverNonce == null || serverNonce.length() < 16 || !isNonce(serverNonce)) {
            throw new IllegalArgumentException("the server nonce must be 16 or more printable characters, no ','");
        }
        ScramCredential stored = users.credential(username);
        boolean known = stored != null;
        ScramCredential credential = known ? stored : users.decoy(username);
        String nonce = clientNonce + serverNonce;
        String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.saltShared())
                + ",i=" + credential.iterations();
        Pending pending = new Pending(username, gs2Header, bare + "," + serverFirst, nonce, credential, known);
        return new Reply.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8), pending);
    }

    /** The client-final-message arrived for the exchange {@code pending}. */
    public static Reply clientFinal(Pending pending, byte[] message) {
        if (message == null) {
            return new Reply.Failure("no client-final-message");
        }
        String text = new String(message, StandardCharsets.UTF_8);
        int proofAt = text.lastIndexOf(",p=");
        if (proofAt < 0) {
            return new Reply.Failure("client-final-message has no proof");
        }
        String withoutProof = text.substring(0, proofAt);
        String[] attributes = withoutProof.split(",", -1);
        String expectedBinding = "c=" + Base64.getEncoder().encodeToString(
                pending.gs2Header().getBytes(StandardCharsets.UTF_8));
        if (attributes.length < 2 || !attributes[0].equals(expectedBinding)) {
            return new Reply.Failure("channel binding attribute does not repeat the GS2 header");
        }
        if (!attributes[1].equals("r=" + pending.nonce())) {
            return new Reply.Failure("nonce does not match");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(text.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return new Reply.Failure("proof is not base64");
        }
        if (proof.length != ScramCrypto.KEY_BYTES) {
            return new Reply.Failure("proof has " + proof.length + " bytes, not 32");
        }
        byte[] authMessage = (pending.authPrefix() + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        ScramCredential credential = pending.credential();
        byte[] clientSignature = ScramCrypto.hmac(credential.storedKeyShared(), authMessage);
        byte[] clientKey = ScramCrypto.xor(proof, clientSignature);
        boolean proofMatches = MessageDigest.isEqual(ScramCrypto.sha256(clientKey), credential.storedKeyShared());
        if (!pending.knownUser() || !proofMatches) {
            return new Reply.Failure(pending.knownUser() ? "wrong proof for user " + pending.username()
                    : "unknown user " + pending.username());
        }
        byte[] serverSignature = ScramCrypto.hmac(credential.serverKeyShared(), authMessage);
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return new Reply.Success(serverFinal.getBytes(StandardCharsets.UTF_8), pending.username());
    }

    /** RFC 5802 saslname: "=2C" is ',', "=3D" is '=', any other '=' is an error (null). */
    static String decodeSaslName(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '=') {
                out.append(c);
            } else if (value.startsWith("=2C", i)) {
                out.append(',');
                i += 2;
            } else if (value.startsWith("=3D", i)) {
                out.append('=');
                i += 2;
            } else {
                return null;
            }
        }
        return out.toString();
    }

    /** RFC 5802 printable: %x21-2B / %x2D-7E, at least one character. */
    private static boolean isNonce(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }
}
