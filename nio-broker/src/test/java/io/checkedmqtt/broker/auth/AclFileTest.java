package io.checkedmqtt.broker.auth;

import io.checkedmqtt.core.auth.AccessControlList;
import io.checkedmqtt.core.auth.ClientIdentity;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AclFileTest {

    @Test
    @DisplayName("sections, access words, the readwrite default, filters with spaces, comments")
    void parses() throws Exception {
        AccessControlList acl = AclFile.parse(List.of(
                "# anonymous clients",
                "topic read public/#",
                "",
                "user alice",
                "topic alice/#",
                "topic   write   room 101/in",
                "  topic deny alice/secret",
                "pattern read dev/%c/#"), "acl");
        ClientIdentity anon = new ClientIdentity("c", null);
        ClientIdentity alice = new ClientIdentity("c", "alice");
        assertTrue(acl.mayRead(anon, "public/x"));
        assertFalse(acl.mayWrite(anon, "public/x"));
        assertTrue(acl.mayWrite(alice, "alice/x"));
        assertTrue(acl.mayRead(alice, "alice/x"));
        assertTrue(acl.mayWrite(alice, "room 101/in"));
        assertFalse(acl.mayRead(alice, "alice/secret"));
        assertTrue(acl.mayRead(alice, "dev/c/temp"));
        assertEquals(5, acl.ruleCount());
    }

    @Test
    @DisplayName("'topic read' alone is the topic named read, with readwrite, as in Mosquitto")
    void singleWordIsTheTopic() throws Exception {
        AccessControlList acl = AclFile.parse(List.of("topic read"), "acl");
        assertTrue(acl.mayWrite(new ClientIdentity("c", null), "read"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bogus line here           | 2 | unknown keyword 'bogus'",
            "topic foo a/b             | 2 | unknown access 'foo'",
            "topic read a/+b           | 2 | invalid topic filter 'a/+b'",
            "topic                     | 2 | no topic filter",
            "user                      | 2 | user line without a user name",
            "pattern read #/a          | 2 | invalid topic filter '#/a'",
    })
    @DisplayName("Mosquitto 2.0 refuses these files to start; so does this broker, naming the line")
    void errors(String line, int number, String message) {
        AuthFileException e = assertThrows(AuthFileException.class,
                () -> AclFile.parse(List.of("topic read ok/#", line), "/etc/acl"));
        assertEquals("/etc/acl:" + number + ": " + message, e.getMessage().substring(0, e.getMessage().indexOf(message)
                + message.length()));
    }
}
