package io.checkedmqtt.broker.tls;

import io.checkedmqtt.broker.layer.LayerStack;
import io.checkedmqtt.broker.websocket.WebSocketLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WebSocket over TLS as one stack, against a JDK TLS client that writes WebSocket frames by hand. */
class LayerStackTest {

    @TempDir
    static Path directory;
    private static TestPki pki;
    private static ServerTls server;

    @BeforeAll
    static void keys() throws Exception {
        pki = new TestPki(directory);
        server = ServerTls.load(pki.serverSettings());
    }

    private static LayerPair secureWebSocket() throws Exception {
        LayerStack stack = new LayerStack(List.of(server.newLayer(), new WebSocketLayer("/mqtt", 1 << 20)));
        TlsLayer client = new TlsLayer(pki.clientEngine(false, "TLSv1.3"));
        LayerPair pair = new LayerPair(client, stack, 9, 2000);
        client.receive(ByteBuffer.allocate(0));
        pair.pump();
        LayerPair.send(client, ("GET /mqtt HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: mqtt\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        pair.pump();
        String response = pair.clientGot.toString(StandardCharsets.ISO_8859_1);
        assertTrue(response.startsWith("HTTP/1.1 101 "), response);
        assertTrue(stack.established());
        pair.clientGot.reset();
        return pair;
    }

    private static byte[] maskedFrame(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        frame.write(0x80 | payload.length);   // short payloads only
        byte[] mask = {1, 2, 3, 4};
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    @Test
    @DisplayName("MQTT bytes go up through TLS and WebSocket, and the broker's come back as a binary frame inside TLS")
    void bothWays() throws Exception {
        LayerPair pair = secureWebSocket();
        byte[] pingreq = {(byte) 0xC0, 0};
        LayerPair.send(pair.client, maskedFrame(0x2, pingreq));
        pair.pump();
        assertArrayEquals(pingreq, pair.serverGot.toByteArray());
        LayerPair.send(pair.server, new byte[] {(byte) 0xD0, 0});
        pair.pump();
        assertArrayEquals(new byte[] {(byte) 0x82, 2, (byte) 0xD0, 0}, pair.clientGot.toByteArray());
        assertNull(pair.server.endReason());
    }

    @Test
    @DisplayName("v3.1.1 v5 [MQTT-6.0.0-1] a text frame over TLS: close 1003 inside TLS, then close_notify")
    void textFrameClosesBothLayers() throws Exception {
        LayerPair pair = secureWebSocket();
        TlsLayer client = (TlsLayer) pair.client;
        LayerPair.send(client, maskedFrame(0x1, "hi".getBytes(StandardCharsets.UTF_8)));
        pair.pump();
        byte[] got = pair.clientGot.toByteArray();
        assertEquals((byte) 0x88, got[0], "a close frame came back");
        assertEquals(1003, ((got[2] & 0xFF) << 8) | (got[3] & 0xFF));
        assertNotNull(client.endReason(), "the client's TLS layer saw close_notify after the close frame");
        assertNotNull(pair.server.endReason());
        assertTrue(pair.server.endReason().contains("[MQTT-6.0.0-1]"), pair.server.endReason());
    }

    @Test
    @DisplayName("the broker's close: WebSocket close 1000, then TLS close_notify")
    void brokerClose() throws Exception {
        LayerPair pair = secureWebSocket();
        pair.server.close();
        pair.pump();
        byte[] got = pair.clientGot.toByteArray();
        assertArrayEquals(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xE8}, got);
        assertNotNull(pair.client.endReason(), "close_notify reached the client");
    }
}
