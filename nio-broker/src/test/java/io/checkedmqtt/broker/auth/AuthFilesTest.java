package io.checkedmqtt.broker.auth;

import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.auth.ClientIdentity;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthFilesTest {

    private static final ClientIdentity ALICE = new ClientIdentity("c1", "alice");
    private final List<String> log = new ArrayList<>();

    /** Writes the file and moves its modification time on, so the change is seen at once. */
    private static void write(Path file, String text, int secondsLater) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + secondsLater * 1000L));
    }

    @Test
    @DisplayName("a changed ACL is read on the next check; an unchanged one is not read again")
    void reloadOnChange(@TempDir Path dir) throws Exception {
        Path acl = dir.resolve("acl");
        write(acl, "user alice\ntopic read a/#\n", 0);
        AuthFiles files = AuthFiles.load(new AuthFiles.Sources(null, acl, null, null), new byte[16]);
        Authorizer before = files.authorizer();
        assertTrue(before.mayRead(ALICE, "a/x"));
        assertFalse(files.reloadIfChanged(log::add));
        assertSame(before, files.authorizer());

        write(acl, "user alice\ntopic read b/#\n", 5);
        assertTrue(files.reloadIfChanged(log::add));
        assertFalse(files.authorizer().mayRead(ALICE, "a/x"));
        assertTrue(files.authorizer().mayRead(ALICE, "b/x"));
        assertEquals(List.of("reloaded " + acl), log);
    }

    @Test
    @DisplayName("a broken file keeps the rules in force, is logged with its line once, and a fixed one is taken")
    void brokenFileKeepsOldRules(@TempDir Path dir) throws Exception {
        Path acl = dir.resolve("acl");
        write(acl, "user alice\ntopic read a/#\n", 0);
        AuthFiles files = AuthFiles.load(new AuthFiles.Sources(null, acl, null, null), new byte[16]);
        Authorizer before = files.authorizer();

        write(acl, "user alice\ntopic read a/#\ntopic bad words a/b\n", 5);
        assertFalse(files.reloadIfChanged(log::add));
        assertSame(before, files.authorizer());
        assertEquals(1, log.size());
        assertTrue(log.get(0).startsWith(acl + ":3: unknown access 'bad'"), log.get(0));
        assertTrue(log.get(0).endsWith("the rules in force stay"), log.get(0));
        assertFalse(files.reloadIfChanged(log::add), "the same broken version is not reported again");
        assertEquals(1, log.size());

        Files.delete(acl);
        assertFalse(files.reloadIfChanged(log::add));
        assertTrue(log.get(1).startsWith("cannot read " + acl), log.get(1));
        assertSame(before, files.authorizer());

        write(acl, "user alice\ntopic read c/#\n", 10);
        assertTrue(files.reloadIfChanged(log::add));
        assertTrue(files.authorizer().mayRead(ALICE, "c/x"));
    }

    @Test
    @DisplayName("at start a broken file is an error, so the broker does not start with rules nobody meant")
    void brokenAtStart(@TempDir Path dir) throws Exception {
        Path acl = dir.resolve("acl");
        write(acl, "topic read a/#\nnonsense\n", 0);
        AuthFileException e = assertThrows(AuthFileException.class,
                () -> AuthFiles.load(new AuthFiles.Sources(null, acl, null, null), new byte[16]));
        assertTrue(e.getMessage().startsWith(acl + ":2: "), e.getMessage());
    }

    @Test
    @DisplayName("allow_anonymous: true without a password file, false with one, unless set")
    void anonymousDefault(@TempDir Path dir) throws Exception {
        Path pw = dir.resolve("pw");
        write(pw, String.join("\n", PasswordFileTest.savedFile()), 0);
        byte[] secret = "secret".getBytes(StandardCharsets.UTF_8);
        assertEquals(null, AuthFiles.load(AuthFiles.Sources.NONE, new byte[16]).authorizer().refusal(null, null));
        Authorizer withFile = AuthFiles.load(new AuthFiles.Sources(pw, null, null, null), new byte[16]).authorizer();
        assertEquals(ReasonCode.NOT_AUTHORIZED, withFile.refusal(null, null));
        assertEquals(null, withFile.refusal("alice", secret));
        Authorizer told = AuthFiles.load(new AuthFiles.Sources(pw, null, null, true), new byte[16]).authorizer();
        assertEquals(null, told.refusal(null, null));
        assertNotSame(withFile, told);
    }

    @Test
    @DisplayName("reload() re-reads every file even when nothing looks changed")
    void forcedReload(@TempDir Path dir) throws Exception {
        Path acl = dir.resolve("acl");
        write(acl, "topic read a/#\n", 0);
        AuthFiles files = AuthFiles.load(new AuthFiles.Sources(null, acl, null, null), new byte[16]);
        assertTrue(files.reload(log::add));
        assertTrue(files.describe().contains("(1 rules)"), files.describe());
    }
}
