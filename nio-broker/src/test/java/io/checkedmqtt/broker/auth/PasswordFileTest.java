package io.checkedmqtt.broker.auth;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordFileTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Written by mosquitto_passwd 2.0.11 (Debian 12): alice/secret and bob/hunter2 as $7$, carol/pass6 as -H sha512. */
    static List<String> savedFile() throws IOException {
        try (InputStream in = PasswordFileTest.class.getResourceAsStream("mosquitto_passwd-2.0.11.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource({"alice, secret, true", "alice, Secret, false", "alice, '', false", "bob, hunter2, true",
            "bob, secret, false", "carol, pass6, true", "carol, pass7, false", "dave, secret, false"})
    @DisplayName("a file saved from mosquitto_passwd 2.0.11: $7$ (PBKDF2-SHA512, 101 rounds) and $6$ (SHA-512 of password and salt)")
    void savedMosquittoFile(String user, String password, boolean matches) throws Exception {
        PasswordFile file = PasswordFile.parse(savedFile(), "saved");
        assertEquals(3, file.size());
        assertEquals(matches, file.matches(user, utf8(password)));
    }

    @Test
    @DisplayName("a file the installed mosquitto_passwd writes now, both hash types, is read and checked")
    void liveMosquittoPasswd(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("passwords");
        MosquittoTools.addUser(file, "sha512-pbkdf2", "dev-01", "p@ss word");
        MosquittoTools.addUser(file, "sha512", "legacy", "old");
        MosquittoTools.addUser(file, "sha512-pbkdf2", "empty", "");
        PasswordFile parsed = PasswordFile.parse(Files.readAllLines(file), file.toString());
        assertTrue(parsed.matches("dev-01", utf8("p@ss word")));
        assertFalse(parsed.matches("dev-01", utf8("p@ss word ")));
        assertTrue(parsed.matches("legacy", utf8("old")));
        assertFalse(parsed.matches("legacy", utf8("new")));
        assertTrue(parsed.matches("empty", new byte[0]));
        assertFalse(parsed.matches("empty", utf8("x")));
    }

    @Test
    @DisplayName("a password is its bytes: non-UTF-8 bytes and a zero byte are not lost or cut (Mosquitto stops at the zero)")
    void binaryPasswords() {
        byte[] salt = {1, 2, 3, 4};
        byte[] binary = {(byte) 0xff, 0, (byte) 0xfe};
        PasswordHash hash = PasswordHash.pbkdf2(binary, salt, 101);
        assertTrue(hash.matches(binary));
        assertFalse(hash.matches(new byte[]{(byte) 0xff}));
        assertTrue(PasswordHash.parse(hash.encoded()).matches(binary), "encoded() round-trips");
    }

    @ParameterizedTest(name = "line {1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "alice                                              | 1 | expected username:hash",
            ":$7$101$AAAA$AAAA                                  | 1 | empty user name",
            "alice:plaintext                                    | 1 | must start with $6$ or $7$",
            "alice:$5$abc$def                                   | 1 | unknown hash type $5$",
            "alice:$7$x$AAAA$AAAA                               | 1 | iteration count is not a number",
            "alice:$7$101$A$AAAA                                | 1 | salt is not base64",
            "alice:$6$AAAA$AAAA                                 | 1 | hash has 3 bytes",
    })
    @DisplayName("a line that is not username:hash is refused with its line number")
    void badLines(String line, int number, String message) {
        AuthFileException e = assertThrows(AuthFileException.class, () -> PasswordFile.parse(List.of(line), "pw"));
        assertTrue(e.getMessage().startsWith("pw:" + number + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    @DisplayName("comments and blank lines are skipped; a user listed twice is an error on the second line")
    void commentsAndDuplicates() throws Exception {
        List<String> saved = savedFile();
        PasswordFile ok = PasswordFile.parse(List.of("# users", "", "  " + saved.get(0) + "  "), "pw");
        assertTrue(ok.matches("alice", utf8("secret")));
        AuthFileException e = assertThrows(AuthFileException.class,
                () -> PasswordFile.parse(List.of(saved.get(0), "# again", saved.get(0)), "pw"));
        assertEquals("pw:3: user alice is listed twice", e.getMessage());
    }
}
