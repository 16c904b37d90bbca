package io.checkedmqtt.core.auth;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluation order of Mosquitto 2.0's {@code acl_file}, case by case. The list under test:
 * <pre>
 *   topic read public/#            (anonymous section)
 *   topic deny public/secret
 *   user alice
 *   topic readwrite alice/#
 *   topic deny alice/private/#
 *   topic write inbox/bob
 *   topic shared/#                 (no word: readwrite)
 *   user bob
 *   topic read alice/news
 *   pattern readwrite dev/%c/#
 *   pattern read users/%u/#
 *   pattern deny dev/%c/locked
 * </pre>
 */
class AccessControlListTest {

    static final AccessControlList ACL = AccessControlList.builder()
            .topic(null, new AclRule(Permission.READ, "public/#"))
            .topic(null, new AclRule(Permission.DENY, "public/secret"))
            .topic("alice", new AclRule(Permission.READWRITE, "alice/#"))
            .topic("alice", new AclRule(Permission.DENY, "alice/private/#"))
            .topic("alice", new AclRule(Permission.WRITE, "inbox/bob"))
            .topic("alice", new AclRule(Permission.READWRITE, "shared/#"))
            .topic("bob", new AclRule(Permission.READ, "alice/news"))
            .pattern(new AclRule(Permission.READWRITE, "dev/%c/#"))
            .pattern(new AclRule(Permission.READ, "users/%u/#"))
            .pattern(new AclRule(Permission.DENY, "dev/%c/locked"))
            .build();

    private static ClientIdentity who(String clientId, String user) {
        return new ClientIdentity(clientId, user.equals("-") ? null : user);
    }

    @ParameterizedTest(name = "{0} as {1}: {2} {3} -> {4}")
    @CsvSource({
            // client, user ('-' anonymous), access, topic, allowed
            "c1, -, read, public/news, true",
            "c1, -, write, public/news, false",
            "c1, -, read, public/secret, false",
            "c1, -, read, alice/x, false",
            "c1, alice, read, alice/x, true",
            "c1, alice, write, alice/x, true",
            "c1, alice, read, alice/private/diary, false",
            "c1, alice, write, inbox/bob, true",
            "c1, alice, read, inbox/bob, false",
            "c1, alice, read, shared/a/b, true",
            "c1, alice, read, public/news, false",         // the anonymous section is not hers
            "c1, bob, read, alice/news, true",
            "c1, bob, write, alice/news, false",
            "c1, carol, read, alice/x, false",              // no section: patterns only
            "c1, carol, write, dev/c1/temp, true",          // %c
            "c1, carol, write, dev/c2/temp, false",
            "c1, carol, read, dev/c1/locked, false",        // deny pattern
            "c1, carol, read, users/carol/inbox, true",     // %u
            "c1, carol, read, users/dave/inbox, false",
            "c1, -, read, users/-/inbox, false",            // %u needs a user name
            "c1, -, write, dev/c1/temp, true",              // anonymous clients get patterns too
            "c1, alice, write, dev/c1/temp, true",          // her section grants nothing here: patterns decide
            "c1, alice, read, alice/private/x, false",      // her deny wins before patterns
            "c+, carol, write, dev/c+/temp, false",         // wildcard in the client id: no pattern applies
            "c1, car#, read, users/car#/x, false",
            "$c, carol, write, dev/$c/x, true",
    })
    @DisplayName("Mosquitto's order: own section (deny first), then patterns (deny first), else refused")
    void table(String clientId, String user, String access, String topic, boolean allowed) {
        ClientIdentity id = who(clientId, user);
        boolean result = access.equals("read") ? ACL.mayRead(id, topic) : ACL.mayWrite(id, topic);
        assertEquals(allowed, result);
    }

    @ParameterizedTest(name = "{0} as {1} subscribes {2} -> {3}")
    @CsvSource({
            "c1, -, public/#, true",
            "c1, -, public/+, true",
            "c1, -, public/secret, false",   // covered by a deny
            "c1, -, #, false",               // not covered by public/#
            "c1, alice, alice/#, true",      // partly denied: granted, deliveries filtered
            "c1, alice, alice/private/+, false",
            "c1, alice, inbox/bob, false",   // write-only
            "c1, alice, $share/g/alice/x, true",
            "c1, alice, $share/g/other, false",
            "c1, carol, dev/c1/#, true",
            "c1, carol, dev/+/x, false",
            "c1, carol, users/carol/#, true",
    })
    @DisplayName("subscriptions: granted when a read rule covers the filter and no deny does; shared filters by their inner filter")
    void subscribe(String clientId, String user, String filter, boolean allowed) {
        assertEquals(allowed, ACL.maySubscribe(who(clientId, user), filter));
    }

    @Test
    @DisplayName("an ACL with no section for the client and no patterns refuses everything")
    void noSectionNoPatterns() {
        AccessControlList acl = AccessControlList.builder().topic("alice", new AclRule(Permission.READWRITE, "#")).build();
        assertTrue(acl.mayWrite(who("c", "alice"), "x"));
        assertFalse(acl.mayWrite(who("c", "bob"), "x"));
        assertFalse(acl.mayRead(who("c", "-"), "x"));
        assertEquals(1, acl.ruleCount());
    }

    @Test
    @DisplayName("a grant in the client's own section wins over a deny pattern (Mosquitto checks the section first)")
    void sectionBeforePatterns() {
        AccessControlList acl = AccessControlList.builder()
                .topic("alice", new AclRule(Permission.READ, "dev/#"))
                .pattern(new AclRule(Permission.DENY, "dev/%c/#"))
                .build();
        assertTrue(acl.mayRead(who("c1", "alice"), "dev/c1/x"));
        assertFalse(acl.mayRead(who("c1", "bob"), "dev/c1/x"));
    }

    @Test
    @DisplayName("'#' in a rule never matches a $ topic; a rule must name the $ level")
    void dollarTopics() {
        AccessControlList acl = AccessControlList.builder()
                .topic(null, new AclRule(Permission.READ, "#"))
                .topic(null, new AclRule(Permission.READ, "$SYS/broker/#"))
                .build();
        assertTrue(acl.mayRead(who("c", "-"), "a/b"));
        assertFalse(acl.mayRead(who("c", "-"), "$SYS/load"));
        assertTrue(acl.mayRead(who("c", "-"), "$SYS/broker/uptime"));
    }

    @Test
    @DisplayName("a subscription is judged by covering, not by reading its filter as a topic: read a/+ does not grant a/#")
    void coveringNotLiteral() {
        AccessControlList acl = AccessControlList.builder().topic(null, new AclRule(Permission.READ, "a/+")).build();
        ClientIdentity anon = who("c", "-");
        assertFalse(acl.maySubscribe(anon, "a/#"), "a/# also matches a/b/c");
        assertTrue(acl.maySubscribe(anon, "a/+"));
        assertTrue(acl.mayRead(anon, "a/b"));
    }

    @Test
    @DisplayName("a wildcard anywhere in the client id or user name, first character included, shuts the patterns off")
    void wildcardAtTheStart() {
        assertFalse(ACL.mayWrite(who("+c", "carol"), "dev/+c/temp"));
        assertFalse(ACL.mayRead(who("c1", "#carol"), "users/#carol/x"));
        assertTrue(ACL.mayWrite(who("c-", "carol"), "dev/c-/temp"));
    }

    @Test
    @DisplayName("ruleCount counts every topic and pattern line")
    void ruleCount() {
        assertEquals(10, ACL.ruleCount());
    }
}
