package io.checkedmqtt.core.auth;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScramServerTest {

    // RFC 7677 section 3: user "user", password "pencil".
    static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    /** The credential a server stores for a password (RFC 5802 section 3), derived here with the JDK's PBKDF2. */
    static ScramCredential credential(String password, byte[] salt, int iterations) throws GeneralSecurityException {
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        byte[] clientKey = ScramCrypto.hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = ScramCrypto.hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredential(salt, iterations, ScramCrypto.sha256(clientKey), serverKey);
    }

    static ScramUsers rfcUsers() throws GeneralSecurityException {
        return new ScramUsers(Map.of("user", credential("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="),
                4096)), new byte[32]);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("RFC 7677 test vector: the server's first and final messages are byte for byte the RFC's")
    void rfc7677Vector() throws GeneralSecurityException {
        ScramServer.Reply first = ScramServer.clientFirst(utf8(CLIENT_FIRST), rfcUsers(), SERVER_NONCE);
        ScramServer.Reply.Challenge challenge = assertInstanceOf(ScramServer.Reply.Challenge.class, first);
        assertEquals(SERVER_FIRST, text(challenge.serverFirst()));
        ScramServer.Reply last = ScramServer.clientFinal(challenge.pending(), utf8(CLIENT_FINAL));
        ScramServer.Reply.Success success = assertInstanceOf(ScramServer.Reply.Success.class, last);
        assertEquals(SERVER_FINAL, text(success.serverFinal()));
        assertEquals("user", success.username());
    }

    @Test
    @DisplayName("a wrong proof fails, and so does the right proof for another nonce")
    void wrongProof() throws GeneralSecurityException {
        ScramServer.Reply.Challenge challenge = (ScramServer.Reply.Challenge)
                ScramServer.clientFirst(utf8(CLIENT_FIRST), rfcUsers(), SERVER_NONCE);
        byte[] proof = Base64.getDecoder().decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        proof[0] ^= 1;
        String wrong = CLIENT_FINAL.substring(0, CLIENT_FINAL.indexOf("p=")) + "p="
                + Base64.getEncoder().encodeToString(proof);
        assertInstanceOf(ScramServer.Reply.Failure.class, ScramServer.clientFinal(challenge.pending(), utf8(wrong)));

        ScramServer.Reply.Challenge other = (ScramServer.Reply.Challenge)
                ScramServer.clientFirst(utf8(CLIENT_FIRST), rfcUsers(), "another-server-nonce-0123");
        assertInstanceOf(ScramServer.Reply.Failure.class, ScramServer.clientFinal(other.pending(), utf8(CLIENT_FINAL)),
                "a replayed final message carries the old nonce");
    }

    @Test
    @DisplayName("an unknown user gets a challenge that looks real (same salt every time) and then fails")
    void unknownUserIsNotRevealedEarly() throws GeneralSecurityException {
        ScramUsers users = rfcUsers();
        ScramServer.Reply.Challenge a = assertInstanceOf(ScramServer.Reply.Challenge.class,
                ScramServer.clientFirst(utf8("n,,n=mallory,r=abc"), users, SERVER_NONCE));
        ScramServer.Reply.Challenge b = assertInstanceOf(ScramServer.Reply.Challenge.class,
                ScramServer.clientFirst(utf8("n,,n=mallory,r=abc"), users, SERVER_NONCE));
        assertEquals(text(a.serverFirst()), text(b.serverFirst()));
        assertNotEquals(text(a.serverFirst()), text(((ScramServer.Reply.Challenge) ScramServer.clientFirst(
                utf8("n,,n=eve,r=abc"), users, SERVER_NONCE)).serverFirst()), "each name has its own decoy salt");
        String anyFinal = "c=biws,r=abc" + SERVER_NONCE + ",p=" + Base64.getEncoder().encodeToString(new byte[32]);
        assertInstanceOf(ScramServer.Reply.Failure.class, ScramServer.clientFinal(a.pending(), utf8(anyFinal)));
    }

    @ParameterizedTest(name = "refused: [{0}]")
    @ValueSource(strings = {"p=tls-unique,,n=user,r=abc", "n,a=admin,n=user,r=abc", "x,,n=user,r=abc", "n,,r=abc,n=user",
            "n,,m=ext,n=user,r=abc", "n,,n=us=er,r=abc", "n,,n=user,r=", "n,,n=user,r=a b", "n,,n=,r=abc", "n=user,r=abc", ""})
    @DisplayName("client-first messages the server refuses: channel binding, authzid, bad flag, order, reserved m=, bad escapes, bad nonce")
    void refusedClientFirst(String message) throws GeneralSecurityException {
        assertInstanceOf(ScramServer.Reply.Failure.class, ScramServer.clientFirst(utf8(message), rfcUsers(), SERVER_NONCE));
    }

    @Test
    @DisplayName("'y,,' is accepted (the client could bind but knows the server cannot) and must be echoed as c=eSws")
    void yFlag() throws GeneralSecurityException {
        ScramServer.Reply.Challenge c = (ScramServer.Reply.Challenge)
                ScramServer.clientFirst(utf8("y,,n=user,r=abc"), rfcUsers(), SERVER_NONCE);
        String noProof = ",p=" + Base64.getEncoder().encodeToString(new byte[32]);
        ScramServer.Reply.Failure f = assertInstanceOf(ScramServer.Reply.Failure.class,
                ScramServer.clientFinal(c.pending(), utf8("c=biws,r=abc" + SERVER_NONCE + noProof)));
        assertEquals("channel binding attribute does not repeat the GS2 header", f.detail());
        f = assertInstanceOf(ScramServer.Reply.Failure.class,
                ScramServer.clientFinal(c.pending(), utf8("c=eSws,r=abc" + SERVER_NONCE + noProof)));
        assertEquals("wrong proof for user user", f.detail());
    }

    @Test
    @DisplayName("saslname escapes: =2C is ',' and =3D is '='")
    void saslNames() {
        assertEquals("a,b=c", ScramServer.decodeSaslName("a=2Cb=3Dc"));
        assertEquals(null, ScramServer.decodeSaslName("a=2"));
    }

    @Test
    @DisplayName("credentials are copied in and out, so a caller cannot change a stored key")
    void credentialIsImmutable() throws GeneralSecurityException {
        ScramCredential c = credential("pencil", new byte[]{1, 2, 3}, 4096);
        byte[] key = c.storedKey();
        key[0] ^= 1;
        assertArrayEquals(c.storedKeyShared(), c.storedKey());
        assertNotEquals(key[0], c.storedKey()[0]);
    }

    @Test
    @DisplayName("a nonce is 16 or more printable characters without ','; '!' and '~' are the ends of the range")
    void nonceRules() throws GeneralSecurityException {
        ScramUsers users = rfcUsers();
        assertThrows(IllegalArgumentException.class, () -> ScramServer.clientFirst(utf8(CLIENT_FIRST), users,
                "0123456789abcde"));
        assertInstanceOf(ScramServer.Reply.Challenge.class, ScramServer.clientFirst(utf8(CLIENT_FIRST), users,
                "0123456789abcdef"));
        assertInstanceOf(ScramServer.Reply.Challenge.class, ScramServer.clientFirst(utf8("n,,n=user,r=!~"), users,
                SERVER_NONCE));
        assertInstanceOf(ScramServer.Reply.Failure.class, ScramServer.clientFirst(utf8("n,,n=user,r=a\u007f"), users,
                SERVER_NONCE));
        assertInstanceOf(ScramServer.Reply.Failure.class, ScramServer.clientFirst(utf8("n,,n=user,r=a\u0020b"), users,
                SERVER_NONCE));
    }

    @Test
    @DisplayName("one iteration is a legal (if weak) count; zero is not")
    void iterationCount() {
        assertEquals(1, new ScramCredential(new byte[1], 1, new byte[32], new byte[32]).iterations());
        assertThrows(IllegalArgumentException.class, () -> new ScramCredential(new byte[1], 0, new byte[32], new byte[32]));
    }
}
