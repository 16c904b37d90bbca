package io.checkedmqtt.broker;

import io.checkedmqtt.broker.tls.TlsSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listener sections of the config file, and the listeners the command line adds. */
class ListenerConfigTest {

    private static BrokerSettings parse(String... lines) throws Exception {
        return ConfigFile.parse(String.join("\n", lines), BrokerSettings.defaults());
    }

    @Test
    @DisplayName("a Mosquitto config with TLS and WebSocket listener sections works unchanged; other settings stay global")
    void mosquittoSections() throws Exception {
        BrokerSettings s = parse(
                "listener 1883",
                "listener 8883",
                "certfile /etc/mosquitto/certs/server.crt",
                "keyfile /etc/mosquitto/certs/server.key",
                "cafile /etc/mosquitto/ca_certificates/ca.crt",
                "require_certificate true",
                "tls_version tlsv1.2",
                "max_connections 10",
                "",
                "listener 8080 0.0.0.0",
                "protocol websockets");
        assertTrue(s.plainListener());
        assertEquals(1883, s.port());
        assertEquals("127.0.0.1", s.bindAddress(), "no address: the broker's bind_address, not every interface");
        assertEquals(10, s.core().limits().maxConnections(), "a global setting inside a section is still global");
        assertEquals(2, s.listeners().size());
        ListenerSettings tls = s.listeners().get(0);
        assertEquals(8883, tls.port());
        assertEquals("mqtts", tls.scheme());
        assertEquals(new TlsSettings(Path.of("/etc/mosquitto/certs/server.crt"), Path.of("/etc/mosquitto/certs/server.key"),
                Path.of("/etc/mosquitto/ca_certificates/ca.crt"), true, "tlsv1.2", null, null), tls.tls());
        ListenerSettings ws = s.listeners().get(1);
        assertEquals("ws", ws.scheme());
        assertEquals("0.0.0.0", ws.address());
        assertEquals("/mqtt", ws.websocketPath());
        assertNull(ws.tls(), "TLS settings end at the next listener line");
    }

    @Test
    @DisplayName("a file with only a TLS listener opens only that one, as Mosquitto does; --port adds the plain one back")
    void onlyTls() throws Exception {
        BrokerSettings s = parse("listener 8883", "keystore /srv/server.p12", "keystore_password secret",
                "tls_version tlsv1.3");
        assertFalse(s.plainListener());
        assertEquals(List.of("TLSv1.3"), s.listeners().get(0).tls().protocols());
        BrokerSettings withPort = CommandLine.parse(List.of("--port", "1884")).applyTo(s);
        assertTrue(withPort.plainListener());
        assertEquals(1884, withPort.port());
        assertEquals(1, withPort.listeners().size());
    }

    @Test
    @DisplayName("listener settings before any listener line belong to the default listener on 'port', as in Mosquitto")
    void defaultListenerSettings() throws Exception {
        BrokerSettings s = parse("port 8883", "certfile a.crt", "keyfile a.key");
        assertFalse(s.plainListener());
        assertEquals(8883, s.listeners().get(0).port());
        assertEquals("mqtts", s.listeners().get(0).scheme());
        BrokerSettings both = parse("port 1999", "listener 1883", "listener 8083", "protocol websockets",
                "websocket_path /ws");
        assertTrue(both.plainListener());
        assertEquals(1999, both.port(), "with a port line, every section is a listener of its own");
        assertEquals(List.of(1883, 8083), both.listeners().stream().map(ListenerSettings::port).toList());
        assertEquals("/ws", both.listeners().get(1).websocketPath());
    }

    @Test
    @DisplayName("bad listener lines and TLS settings name the line")
    void errors() {
        for (String[] bad : new String[][] {
                {"listener abc"}, {"listener 1883 a b"}, {"listener 70000"},
                {"listener 8883", "protocol mqtts"},
                {"listener 8883", "keyfile k.pem"},
                {"listener 8883", "certfile c.pem", "keyfile k.pem", "require_certificate true"},
                {"listener 8883", "certfile c.pem", "keyfile k.pem", "tls_version tlsv1.1"},
                {"listener 8883", "certfile c.pem", "keyfile k.pem", "keystore s.p12"},
                {"listener 8883", "certfile c.pem", "keyfile k.pem", "require_certificate maybe"},
                {"listener 8083", "protocol websockets", "websocket_path mqtt"}}) {
            ConfigFile.ConfigException e = assertThrows(ConfigFile.ConfigException.class, () -> parse(bad),
                    String.join(" / ", bad));
            assertTrue(e.getMessage().startsWith("<text>:"), e.getMessage());
            assertTrue(e.getMessage().matches("<text>:\\d.*"), "names a line: " + e.getMessage());
        }
    }

    @Test
    @DisplayName("--test-server opens 1883, 8883, 8083 and 8084 (both at /mqtt) on the --bind address")
    void testServer() throws Exception {
        TlsSettings tls = TlsSettings.pem(Path.of("server.crt"), Path.of("server.key"));
        BrokerSettings s = CommandLine.parse(List.of("--test-server", "--bind", "0.0.0.0"))
                .applyTo(BrokerSettings.defaults(), tls);
        assertTrue(s.plainListener());
        assertEquals(1883, s.port());
        assertEquals("0.0.0.0", s.bindAddress());
        assertEquals(List.of("mqtts:8883", "ws:8083", "wss:8084"),
                s.listeners().stream().map(l -> l.scheme() + ":" + l.port()).toList());
        assertTrue(s.listeners().stream().allMatch(l -> l.websocketPath().equals("/mqtt")));
        assertEquals(tls, s.listeners().get(2).tls());
        assertEquals("0.0.0.0", s.listeners().get(0).bindAddress(s.bindAddress()));
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--test-ca", "/tmp/x")));
    }
}
