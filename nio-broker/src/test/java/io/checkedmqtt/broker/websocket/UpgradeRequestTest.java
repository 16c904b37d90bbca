package io.checkedmqtt.broker.websocket;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The opening handshake: each kind of request and the status it gets. */
class UpgradeRequestTest {

    private static UpgradeRequest.Answer answer(String request) {
        return UpgradeRequest.answer(request.substring(0, request.length() - 4), "/mqtt");
    }

    private static String text(UpgradeRequest.Answer answer) {
        return new String(answer.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("RFC 6455 4.2.2: Sec-WebSocket-Accept of the RFC's own example key")
    void acceptKey() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", UpgradeRequest.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    @DisplayName("v3.1.1 v5 [MQTT-6.0.0-4] the server selects and returns the subprotocol 'mqtt'")
    void selectsMqtt() {
        for (String offered : new String[] {"mqtt", "mqttv3.1, mqtt", "wamp,mqtt"}) {
            UpgradeRequest.Answer answer = answer(ClientFrames.upgrade("/mqtt", "Sec-WebSocket-Protocol: " + offered));
            assertTrue(answer.accepted(), offered);
            String response = text(answer);
            assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), response);
            assertTrue(response.contains("\r\nSec-WebSocket-Protocol: mqtt\r\n"), response);
            assertTrue(response.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\n"));
        }
        UpgradeRequest.Answer old = answer(ClientFrames.upgrade("/mqtt?x=1", "Sec-WebSocket-Protocol: mqttv3.1"));
        assertEquals("mqttv3.1", old.subprotocol(), "an MQTT 3.1 client's name when it offers no other");
    }

    @Test
    @DisplayName("v3.1.1 v5 [MQTT-6.0.0-3] [MQTT-6.0.0-4] a request that does not offer 'mqtt' (none, or another) is refused with 400")
    void missingOrWrongSubprotocol() {
        for (String request : new String[] {ClientFrames.upgrade("/mqtt"),
                ClientFrames.upgrade("/mqtt", "Sec-WebSocket-Protocol: wamp, MQTT")}) {
            UpgradeRequest.Answer answer = answer(request);
            assertEquals(400, answer.status());
            assertTrue(text(answer).contains("[MQTT-6.0.0-3]"), text(answer));
            assertFalse(text(answer).contains("Sec-WebSocket-Protocol"));
        }
    }

    @Test
    @DisplayName("wrong path 404, POST 405, plain HTTP 426 naming websocket, version 8 426 naming 13, no key or Host 400")
    void refusals() {
        assertEquals(404, answer(ClientFrames.upgrade("/other", "Sec-WebSocket-Protocol: mqtt")).status());
        assertEquals(404, answer(ClientFrames.upgrade("/mqtt/", "Sec-WebSocket-Protocol: mqtt")).status());
        UpgradeRequest.Answer post = answer(ClientFrames.upgrade("/mqtt").replace("GET", "POST"));
        assertEquals(405, post.status());
        assertTrue(text(post).contains("\r\nAllow: GET\r\n"));
        UpgradeRequest.Answer page = answer("GET /mqtt HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n");
        assertEquals(426, page.status());
        assertTrue(text(page).contains("\r\nUpgrade: websocket\r\n"), text(page));
        assertTrue(text(page).contains("\r\nConnection: close\r\n"));
        UpgradeRequest.Answer version = answer(ClientFrames.upgrade("/mqtt", "Sec-WebSocket-Protocol: mqtt")
                .replace("Version: 13", "Version: 8"));
        assertEquals(426, version.status());
        assertTrue(text(version).contains("\r\nSec-WebSocket-Version: 13\r\n"));
        assertEquals(400, answer(ClientFrames.upgrade("/mqtt", "Sec-WebSocket-Protocol: mqtt")
                .replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "")).status());
        assertEquals(400, answer(ClientFrames.upgrade("/mqtt", "Sec-WebSocket-Protocol: mqtt")
                .replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=")).status());
        assertEquals(400, answer(ClientFrames.upgrade("/mqtt", "Sec-WebSocket-Protocol: mqtt")
                .replace("Host: 127.0.0.1\r\n", "")).status());
        assertEquals(400, answer(ClientFrames.upgrade("/mqtt").replace("HTTP/1.1", "HTTP/1.0")).status());
        assertEquals(400, answer("\u0010\u0012\u0000\u0004MQTT\r\n\r\n").status());
        assertEquals(400, answer("GET /mqtt HTTP/1.1\r\nno colon here\r\n\r\n").status());
        // header names and the Upgrade/Connection tokens are case-insensitive; repeated fields join
        assertTrue(answer("GET /mqtt HTTP/1.1\r\nhost: x\r\nupgrade: WebSocket\r\nconnection: keep-alive\r\n"
                + "Connection: Upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n"
                + "sec-websocket-protocol: mqtt\r\n\r\n").accepted());
    }
}
