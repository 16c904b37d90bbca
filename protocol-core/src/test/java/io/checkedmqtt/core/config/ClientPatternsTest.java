package io.checkedmqtt.core.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientPatternsTest {

    @ParameterizedTest(name = "{0} ~ ''{1}'': {2}")
    @CsvSource(delimiter = '|', value = {
            "device-*   | device-1         | true",
            "device-*   | device-          | true",
            "device-*   | sensor-device-1  | false",
            "device-*   | device           | false",
            "*          | ''               | true",
            "*          | anything at all  | true",
            "d?v*-1     | dev-42-1         | true",
            "d?v*-1     | dv-1             | false",
            "*-1        | a-1-1            | true",
            "*-1        | a-1-2            | false",
            "a*b*c      | aXbYbZc          | true",
            "a*b*c      | aXbYbZ           | false",
            "exact      | exact            | true",
            "exact      | exactly          | false",
            "**x        | x                | true",
            "?          | ''               | false",
    })
    @DisplayName("glob: * is any run (none too), ? one character, the rest itself; the whole id must match")
    void globs(String glob, String id, boolean matches) {
        assertEquals(matches, ClientPatterns.of(glob).matches(id));
    }

    @Test
    @DisplayName("a long run of stars against a long id ends quickly (no recursion, no blow-up)")
    void longInput() {
        String glob = "*a".repeat(200) + "b";
        String id = "a".repeat(65_535);
        long start = System.nanoTime();
        assertFalse(ClientPatterns.of(glob).matches(id));
        assertTrue(System.nanoTime() - start < 30_000_000_000L);
        assertTrue(ClientPatterns.of("*a*b").matches(id + "b"));
    }

    @Test
    @DisplayName("a set matches when any pattern does; the empty set matches nothing; with() adds once")
    void sets() {
        ClientPatterns p = ClientPatterns.of("a-*", "b-?");
        assertTrue(p.matches("a-7"));
        assertTrue(p.matches("b-7"));
        assertFalse(p.matches("b-77"));
        assertFalse(ClientPatterns.NONE.matches(""));
        assertEquals(p, p.with("a-*"));
        assertEquals(3, p.with("c").globs().size());
    }

    @Test
    @DisplayName("a watch config names probes by prefix and is empty only with nothing watched")
    void watchConfig() {
        WatchConfig none = WatchConfig.NONE;
        assertTrue(none.isEmpty());
        assertFalse(none.watches("x"));
        WatchConfig probed = none.withProbes(java.util.List.of(new ProbeSpec(ProbeKind.QOS2_CUT, "dev-", 3000, 1)));
        assertFalse(probed.isEmpty());
        assertTrue(probed.watches("dev-1"));
        assertFalse(probed.watches("de"));
        assertEquals(3000, probed.probe(ProbeKind.QOS2_CUT, "dev-9").timeoutMillis());
        assertEquals(null, probed.probe(ProbeKind.QOS1_RETRY, "dev-9"));
        assertEquals(ProbeKind.OFFLINE_QUEUE, ProbeKind.named("probe.offline-queue"));
        assertEquals(ProbeKind.QOS1_RETRY, ProbeKind.named("QOS1-RETRY"));
        assertEquals(null, ProbeKind.named("qos3"));
    }
}
