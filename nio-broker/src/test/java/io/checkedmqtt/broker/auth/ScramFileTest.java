package io.checkedmqtt.broker.auth;

import io.checkedmqtt.core.auth.ScramCredential;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScramFileTest {

    @Test
    @DisplayName("an entry for RFC 7677's user/pencil holds the keys the RFC's exchange needs, and parses back")
    void entryRoundTrip() throws Exception {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        String line = ScramFile.entry("user", "pencil", salt, 4096);
        assertTrue(line.startsWith("user:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"), line);
        Map<String, ScramCredential> users = ScramFile.parse(List.of("# scram users", line), "scram");
        ScramCredential c = users.get("user");
        assertEquals(4096, c.iterations());
        assertArrayEquals(salt, c.salt());
        // Known value: StoredKey for "pencil" with this salt and count (checked against the RFC's proof in the core's tests).
        assertEquals("WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=", Base64.getEncoder().encodeToString(c.storedKey()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"user", "user:pencil", "user:SCRAM-SHA-1$4096:AAAA$AAAA:AAAA", "user:SCRAM-SHA-256$x:AAAA$AAAA:AAAA",
            "user:SCRAM-SHA-256$4096:AAAA$AAAA:AAAA", ":SCRAM-SHA-256$4096:AAAA$AAAA:AAAA"})
    @DisplayName("a line that is not a SCRAM-SHA-256 entry is refused with its line number")
    void badLines(String line) {
        AuthFileException e = assertThrows(AuthFileException.class, () -> ScramFile.parse(List.of("", line), "s"));
        assertTrue(e.getMessage().startsWith("s:2: "), e.getMessage());
    }

    @Test
    @DisplayName("the entry tool reads the password from standard input and prints a line the file parser takes")
    void entryTool() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = ScramEntryTool.run(new String[]{"dev-7", "5000"},
                new java.io.BufferedReader(new java.io.StringReader("s3cret\n")),
                new java.io.PrintStream(out, true, "UTF-8"), new java.io.PrintStream(err, true, "UTF-8"));
        assertEquals(0, code, err.toString());
        String line = out.toString("UTF-8").strip();
        assertEquals(5000, ScramFile.parse(List.of(line), "tool").get("dev-7").iterations());
        assertEquals(2, ScramEntryTool.run(new String[]{"a:b"}, new java.io.BufferedReader(new java.io.StringReader("x")),
                new java.io.PrintStream(out, true, "UTF-8"), new java.io.PrintStream(err, true, "UTF-8")));
    }
}
