package io.checkedmqtt.broker.websocket;

import io.checkedmqtt.broker.websocket.ClientFrames.ServerFrame;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.checkedmqtt.broker.websocket.FrameReader.OP_BINARY;
import static io.checkedmqtt.broker.websocket.FrameReader.OP_CLOSE;
import static io.checkedmqtt.broker.websocket.FrameReader.OP_CONTINUATION;
import static io.checkedmqtt.broker.websocket.FrameReader.OP_PING;
import static io.checkedmqtt.broker.websocket.FrameReader.OP_PONG;
import static io.checkedmqtt.broker.websocket.FrameReader.OP_TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WebSocket layer with bytes moved by hand: frames in, MQTT bytes up, frames out. */
class WebSocketLayerTest {

    private static final int MAX_FRAME = 1_000_000;

    /** An upgraded layer, its 101 response taken out of its outbound bytes. */
    private static WebSocketLayer upgraded() {
        WebSocketLayer layer = new WebSocketLayer("/mqtt", MAX_FRAME);
        ByteBuffer up = layer.receive(ascii(ClientFrames.upgrade("/mqtt", "Sec-WebSocket-Protocol: mqtt")));
        assertFalse(up.hasRemaining());
        assertTrue(layer.established());
        assertEquals("mqtt", layer.subprotocol());
        String response = StandardCharsets.ISO_8859_1.decode(layer.outbound().bytes()).toString();
        assertTrue(response.startsWith("HTTP/1.1 101 "), response);
        return layer;
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] feed(WebSocketLayer layer, byte[] bytes) {
        ByteBuffer up = layer.receive(ByteBuffer.wrap(bytes));
        byte[] out = new byte[up.remaining()];
        up.get(out);
        return out;
    }

    private static List<ServerFrame> sent(WebSocketLayer layer) {
        return ClientFrames.read(layer.outbound().bytes());
    }

    @Test
    @DisplayName("the request head may arrive a byte at a time, and frames sent right behind it are read")
    void headInPieces() {
        WebSocketLayer layer = new WebSocketLayer("/mqtt", MAX_FRAME);
        byte[] request = ClientFrames.upgrade("/mqtt", "Sec-WebSocket-Protocol: mqtt").getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < request.length - 1; i++) {
            assertFalse(layer.receive(ByteBuffer.wrap(request, i, 1)).hasRemaining());
            assertFalse(layer.established());
        }
        byte[] frame = ClientFrames.binary(new byte[] {(byte) 0xC0, 0});   // PINGREQ right behind the head
        ByteBuffer last = ByteBuffer.allocate(1 + frame.length).put(request[request.length - 1]).put(frame).flip();
        ByteBuffer up = layer.receive(last);
        assertTrue(layer.established());
        assertEquals(2, up.remaining());
        assertEquals((byte) 0xC0, up.get(0));
    }

    @Test
    @DisplayName("v3.1.1 v5 [MQTT-6.0.0-2] MQTT bytes split across frames, several packets in one frame, fragmented messages: one stream")
    void framesCarryOneStream() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] stream = new byte[200_000];
        random.nextBytes(stream);
        WebSocketLayer layer = upgraded();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        boolean inMessage = false;
        for (int at = 0; at < stream.length; ) {
            int n = Math.min(stream.length - at, random.nextInt(3) == 0 ? random.nextInt(70_000) : random.nextInt(200));
            boolean fin = random.nextBoolean() || at + n == stream.length;
            wire.writeBytes(ClientFrames.frame(fin, inMessage ? OP_CONTINUATION : OP_BINARY,
                    Arrays.copyOfRange(stream, at, at + n), true));
            inMessage = !fin;
            if (random.nextInt(10) == 0) {   // control frames may come between the fragments of a message
                wire.writeBytes(ClientFrames.frame(true, OP_PING, new byte[] {1, 2, 3}, true));
            }
            at += n;
        }
        byte[] bytes = wire.toByteArray();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(3000));
            got.writeBytes(feed(layer, Arrays.copyOfRange(bytes, at, at + n)));
            at += n;
        }
        assertNull(layer.endReason(), "seed " + seed);
        assertArrayEquals(stream, got.toByteArray(), "seed " + seed);
        layer.outbound().bytes().position(layer.outbound().bytes().limit());
    }

    @Test
    @DisplayName("a ping is answered with a pong carrying its payload; an unsolicited pong is ignored")
    void pingPong() {
        WebSocketLayer layer = upgraded();
        layer.outbound().bytes().position(layer.outbound().bytes().limit());
        feed(layer, ClientFrames.frame(true, OP_PONG, new byte[] {9}, true));
        feed(layer, ClientFrames.frame(true, OP_PING, "are you there".getBytes(StandardCharsets.UTF_8), true));
        List<ServerFrame> frames = sent(layer);
        assertEquals(1, frames.size());
        assertEquals(OP_PONG, frames.get(0).opcode());
        assertEquals("are you there", frames.get(0).text());
        assertNull(layer.endReason());
    }

    @Test
    @DisplayName("the broker's bytes go out as one unmasked binary frame per send, the length in its shortest form")
    void serverFrames() {
        for (int size : new int[] {1, 125, 126, 65_535, 65_536, 300_000}) {
            WebSocketLayer layer = upgraded();
            layer.outbound().bytes().position(layer.outbound().bytes().limit());
            byte[] payload = new byte[size];
            new Random(size).nextBytes(payload);
            layer.send(new ByteBuffer[] {ByteBuffer.wrap(payload, 0, size / 2), ByteBuffer.wrap(payload, size / 2, size - size / 2)}, 0, 2);
            ByteBuffer out = layer.outbound().bytes();
            int headerLength = size < 126 ? 2 : size < 65_536 ? 4 : 10;
            assertEquals(size + headerLength, out.remaining(), "size " + size);
            List<ServerFrame> frames = ClientFrames.read(out);
            assertEquals(1, frames.size());
            assertTrue(frames.get(0).fin());
            assertEquals(OP_BINARY, frames.get(0).opcode());
            assertArrayEquals(payload, frames.get(0).payload());
        }
    }

    /** Feeds one bad frame to a fresh layer; returns the layer and checks that a close frame with {@code status} went out. */
    private static WebSocketLayer refused(byte[] frame, int status) {
        WebSocketLayer layer = upgraded();
        layer.outbound().bytes().position(layer.outbound().bytes().limit());
        byte[] up = feed(layer, frame);
        assertEquals(0, up.length, "nothing of a refused frame goes up");
        assertNotNull(layer.endReason());
        List<ServerFrame> frames = sent(layer);
        assertEquals(OP_CLOSE, frames.get(frames.size() - 1).opcode());
        assertEquals(status, frames.get(frames.size() - 1).closeStatus(), layer.endReason());
        // the layer reads nothing more
        assertEquals(0, feed(layer, ClientFrames.binary(new byte[] {1})).length);
        return layer;
    }

    @Test
    @DisplayName("v3.1.1 v5 [MQTT-6.0.0-1] a text frame closes the connection (close 1003)")
    void textFrame() {
        WebSocketLayer layer = refused(ClientFrames.frame(true, OP_TEXT, "{\"hello\":1}".getBytes(StandardCharsets.UTF_8), true), 1003);
        assertTrue(layer.endReason().contains("[MQTT-6.0.0-1]"), layer.endReason());
    }

    @Test
    @DisplayName("RFC 6455 5.1: an unmasked client frame closes the connection (close 1002)")
    void unmasked() {
        refused(ClientFrames.frame(true, OP_BINARY, new byte[] {(byte) 0xC0, 0}, false), 1002);
    }

    @Test
    @DisplayName("a frame larger than the maximum packet size is refused from its header (close 1009)")
    void oversize() {
        refused(ClientFrames.frame(0x80 | OP_BINARY, new byte[0], true, MAX_FRAME + 1L), 1009);
        refused(ClientFrames.frame(0x80 | OP_BINARY, new byte[0], true, Long.MIN_VALUE), 1002);
    }

    @Test
    @DisplayName("continuation without a message, a new message inside one, reserved bits and opcodes, long or fragmented control frames: close 1002")
    void protocolErrors() {
        refused(ClientFrames.frame(true, OP_CONTINUATION, new byte[] {1}, true), 1002);
        WebSocketLayer started = upgraded();
        feed(started, ClientFrames.frame(false, OP_BINARY, new byte[] {1}, true));
        assertNull(started.endReason());
        feed(started, ClientFrames.frame(true, OP_BINARY, new byte[] {2}, true));
        assertTrue(started.endReason().contains("close 1002"), started.endReason());
        refused(ClientFrames.frame(0x80 | 0x40 | OP_BINARY, new byte[] {1}, true, 1), 1002);
        refused(ClientFrames.frame(true, 0x3, new byte[] {1}, true), 1002);
        refused(ClientFrames.frame(true, 0xB, new byte[] {1}, true), 1002);
        refused(ClientFrames.frame(true, OP_PING, new byte[126], true), 1002);
        refused(ClientFrames.frame(false, OP_PING, new byte[1], true), 1002);
    }

    @Test
    @DisplayName("the client's close is answered with its status and ends the layer; bad statuses and reasons are refused")
    void closeHandshake() {
        WebSocketLayer layer = upgraded();
        layer.outbound().bytes().position(layer.outbound().bytes().limit());
        feed(layer, ClientFrames.frame(true, OP_CLOSE, new byte[] {0x03, (byte) 0xE9, 'b', 'y', 'e'}, true));
        assertEquals("closed by client (WebSocket close 1001 bye)", layer.endReason());
        List<ServerFrame> frames = sent(layer);
        assertEquals(1, frames.size());
        assertEquals(1001, frames.get(0).closeStatus());

        WebSocketLayer empty = upgraded();
        empty.outbound().bytes().position(empty.outbound().bytes().limit());
        feed(empty, ClientFrames.frame(true, OP_CLOSE, new byte[0], true));
        assertEquals(1000, sent(empty).get(0).closeStatus());

        refused(ClientFrames.frame(true, OP_CLOSE, new byte[] {0x03}, true), 1002);
        refused(ClientFrames.frame(true, OP_CLOSE, new byte[] {0x03, (byte) 0xED}, true), 1002);   // 1005 may not be sent
        refused(ClientFrames.frame(true, OP_CLOSE, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF}, true), 1007);
    }

    @Test
    @DisplayName("the broker's close sends close 1000 after what was queued before it")
    void brokerClose() {
        WebSocketLayer layer = upgraded();
        layer.outbound().bytes().position(layer.outbound().bytes().limit());
        layer.send(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {(byte) 0xE0, 0})}, 0, 1);
        layer.close();
        List<ServerFrame> frames = sent(layer);
        assertEquals(OP_BINARY, frames.get(0).opcode());
        assertEquals(OP_CLOSE, frames.get(1).opcode());
        assertEquals(1000, frames.get(1).closeStatus());
        assertEquals("closed by broker", layer.endReason());
    }

    @Test
    @DisplayName("a request head longer than 8 KiB gets 431; a refused upgrade's response is in the outbound bytes")
    void oversizeHead() {
        WebSocketLayer layer = new WebSocketLayer("/mqtt", MAX_FRAME);
        layer.receive(ascii("GET /mqtt HTTP/1.1\r\nX: " + "a".repeat(9000)));
        assertTrue(layer.endReason().contains("431"), layer.endReason());
        assertTrue(StandardCharsets.ISO_8859_1.decode(layer.outbound().bytes()).toString()
                .startsWith("HTTP/1.1 431 "));
        WebSocketLayer wrongPath = new WebSocketLayer("/mqtt", MAX_FRAME);
        wrongPath.receive(ascii(ClientFrames.upgrade("/", "Sec-WebSocket-Protocol: mqtt")));
        assertFalse(wrongPath.established());
        assertTrue(StandardCharsets.ISO_8859_1.decode(wrongPath.outbound().bytes()).toString()
                .startsWith("HTTP/1.1 404 Not Found\r\n"));
    }
}
