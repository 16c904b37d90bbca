package io.checkedmqtt.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The load tool's own encoder and decoder, against hand-written wire bytes and each other. */
class MqttCodecTest {

    private static byte[] bytes(final ByteBuffer buf) {
        final ByteBuffer copy = buf.duplicate().flip();
        final byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private static ByteBuffer wire(final int... values) {
        final ByteBuffer buf = ByteBuffer.allocate(values.length);
        for (int v : values) {
            buf.put((byte) v);
        }
        return buf.flip();
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-1] [MQTT-3.1.3-1] CONNECT: protocol name MQTT, level 4, Clean Session, keep alive, client id")
    void connectV311Bytes() {
        final ByteBuffer out = ByteBuffer.allocate(64);
        MqttEncoder.connect(out, MqttVersion.V311, "ab", 60, Credentials.NONE, 0);
        assertArrayEquals(new byte[] {0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 2, 'a', 'b'}, bytes(out));
        assertEquals(out.position(), MqttEncoder.connectLength(MqttVersion.V311, "ab", Credentials.NONE, 0));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-1] CONNECT: level 5 and an empty property block before the payload")
    void connectV5Bytes() {
        final ByteBuffer out = ByteBuffer.allocate(64);
        MqttEncoder.connect(out, MqttVersion.V5, "ab", 0, Credentials.NONE, 0);
        assertArrayEquals(new byte[] {0x10, 15, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 0, 0, 0, 2, 'a', 'b'}, bytes(out));
        assertEquals(out.position(), MqttEncoder.connectLength(MqttVersion.V5, "ab", Credentials.NONE, 0));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-4] v5 [MQTT-3.1.2-5] CONNECT for a kept session (--session-expiry): CleanSession 0; 5.0 Session Expiry Interval")
    void connectKeptSession() {
        final ByteBuffer out = ByteBuffer.allocate(64);
        MqttEncoder.connect(out, MqttVersion.V311, "ab", 60, Credentials.NONE, 3_600);
        assertArrayEquals(new byte[] {0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 4, 0, 0, 60, 0, 2, 'a', 'b'}, bytes(out));
        final ByteBuffer v5 = ByteBuffer.allocate(64);
        MqttEncoder.connect(v5, MqttVersion.V5, "ab", 0, Credentials.NONE, 3_600);
        assertArrayEquals(new byte[] {0x10, 20, 0, 4, 'M', 'Q', 'T', 'T', 5, 0, 0, 0, 5, 0x11, 0, 0, 0x0E, 0x10, 0, 2,
                'a', 'b'}, bytes(v5));
        assertEquals(v5.position(), MqttEncoder.connectLength(MqttVersion.V5, "ab", Credentials.NONE, 3_600));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-19] [MQTT-3.1.2-21] [MQTT-3.1.3-11] CONNECT with credentials: flags 0xC2, user name then password")
    void connectWithCredentials() {
        final ByteBuffer out = ByteBuffer.allocate(64);
        final Credentials c = new Credentials(new byte[] {'u'}, new byte[] {'p', 'w'});
        MqttEncoder.connect(out, MqttVersion.V311, "ab", 60, c, 0);
        assertArrayEquals(new byte[] {0x10, 21, 0, 4, 'M', 'Q', 'T', 'T', 4, (byte) 0xC2, 0, 60, 0, 2, 'a', 'b',
                0, 1, 'u', 0, 2, 'p', 'w'}, bytes(out));
        assertEquals(out.position(), MqttEncoder.connectLength(MqttVersion.V311, "ab", c, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"V311", "V5"})
    @DisplayName("v3.1.1 and v5 [MQTT-3.8.1-1] [MQTT-2.3.1-1] SUBSCRIBE has flags 0010 and a non-zero packet id")
    void subscribeFlags(final MqttVersion version) {
        final ByteBuffer out = ByteBuffer.allocate(64);
        MqttEncoder.subscribe(out, version, 1, "a/+", 2);
        final byte[] b = bytes(out);
        assertEquals(0x82, b[0] & 0xFF);
        assertEquals(1, (b[2] & 0xFF) << 8 | b[3] & 0xFF);
        assertEquals(2, b[b.length - 1]); // requested QoS
        assertEquals(b.length, MqttEncoder.subscribeLength(version, "a/+"));
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-3.6.1-1] PUBREL carries flags 0010; PUBACK, PUBREC, PUBCOMP carry 0000")
    void ackFlags() {
        final ByteBuffer out = ByteBuffer.allocate(16);
        MqttEncoder.ack(out, PacketType.PUBREL, 0x1234);
        MqttEncoder.ack(out, PacketType.PUBACK, 7);
        assertArrayEquals(new byte[] {0x62, 2, 0x12, 0x34, 0x40, 2, 0, 7}, bytes(out));
    }

    @ParameterizedTest
    @CsvSource({"0,1", "127,1", "128,2", "16383,2", "16384,3", "2097151,3", "2097152,4", "268435455,4"})
    @DisplayName("v5 [MQTT-1.5.5-1] Variable Byte Integers use the fewest bytes, and decode back")
    void varIntRoundTrip(final int value, final int length) {
        assertEquals(length, MqttEncoder.varIntLength(value));
        final ByteBuffer out = ByteBuffer.allocate(4);
        MqttEncoder.putVarInt(out, value);
        assertEquals(length, out.position());
        final long decoded = MqttDecoder.varInt(out, 0, out.position());
        assertEquals(value, (int) decoded);
        assertEquals(length, (int) (decoded >>> 32));
    }

    @ParameterizedTest
    @CsvSource({"V311,0", "V311,1", "V311,2", "V5,0", "V5,1", "V5,2"})
    @DisplayName("PUBLISH written by the encoder reads back: topic, packet id, payload id/sequence/time (3.1.1 and 5.0, QoS 0-2)")
    void publishRoundTrip(final MqttVersion version, final int qos) {
        final byte[] topic = "bench/x/pair/3".getBytes(StandardCharsets.UTF_8);
        final int payload = 200;
        final int length = MqttEncoder.publishLength(version, qos, topic.length, payload);
        final ByteBuffer buf = ByteBuffer.allocate(length + 10);
        MqttEncoder.publishHeader(buf, version, qos, qos == 0 ? 0 : 513, topic, payload);
        Payload.write(buf, payload, 42, 1_000_000_007L, -5L);
        assertEquals(length, buf.position());
        buf.flip();
        final Frame frame = new Frame();
        assertTrue(frame.read(buf, 1 << 20));
        assertEquals(PacketType.PUBLISH, frame.type);
        assertEquals(length, buf.position());
        final MqttDecoder.PublishView view = new MqttDecoder.PublishView();
        MqttDecoder.publish(buf, frame, version, view);
        assertEquals(qos, view.qos);
        assertEquals(qos == 0 ? 0 : 513, view.packetId);
        final byte[] readTopic = new byte[view.topicLength];
        buf.get(view.topicStart, readTopic);
        assertArrayEquals(topic, readTopic);
        assertEquals(payload, view.payloadLength);
        assertEquals(42, Payload.publisherId(buf, view.payloadStart));
        assertEquals(1_000_000_007L, Payload.sequence(buf, view.payloadStart));
        assertEquals(-5L, Payload.sendNanos(buf, view.payloadStart));
    }

    @Test
    @DisplayName("a partial frame is not consumed, and is found once the rest arrives")
    void partialFrame() {
        final byte[] full = {0x30, 5, 0, 1, 't', 'x', 'y'};
        final Frame frame = new Frame();
        for (int cut = 0; cut < full.length; cut++) {
            final ByteBuffer part = ByteBuffer.wrap(Arrays.copyOf(full, cut));
            assertFalse(frame.read(part, 100), "cut at " + cut);
            assertEquals(0, part.position());
        }
        final ByteBuffer whole = ByteBuffer.wrap(full);
        assertTrue(frame.read(whole, 100));
        assertEquals(5, frame.bodyLength);
        assertEquals(2, frame.bodyStart);
    }

    @Test
    @DisplayName("a frame larger than the read buffer reports its full length so the buffer can grow")
    void pendingLength() {
        final ByteBuffer start = wire(0x30, 0x80, 0x80, 0x01); // remaining length 16384
        assertEquals(1 + 3 + 16_384, Frame.pendingFrameLength(start));
        assertEquals(-1, Frame.pendingFrameLength(wire(0x30, 0x80)));
    }

    @Test
    @DisplayName("v3.1.1 and v5: a Remaining Length of more than 4 bytes is malformed")
    void fiveByteRemainingLength() {
        assertThrows(MalformedPacketException.class,
                () -> new Frame().read(wire(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), Integer.MAX_VALUE));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.3.1-4] PUBLISH with QoS 3 is malformed")
    void qos3IsMalformed() {
        final ByteBuffer buf = wire(0x36, 5, 0, 1, 't', 0, 1);
        final Frame frame = new Frame();
        assertTrue(frame.read(buf, 100));
        assertThrows(MalformedPacketException.class,
                () -> MqttDecoder.publish(buf, frame, MqttVersion.V311, new MqttDecoder.PublishView()));
    }

    @Test
    @DisplayName("v5 CONNACK: properties are walked and Receive Maximum is kept")
    void connackV5Properties() {
        // flags 0, reason 0, properties: Receive Maximum 10, Reason String "ok", User Property ("k","v"), Maximum Packet Size
        final ByteBuffer buf = wire(0x20, 23, 0, 0, 20,
                0x21, 0, 10,
                0x1F, 0, 2, 'o', 'k',
                0x26, 0, 1, 'k', 0, 1, 'v',
                0x27, 0, 0, 0x10, 0);
        final Frame frame = new Frame();
        assertTrue(frame.read(buf, 100));
        final MqttDecoder.ReceivedProperties props = new MqttDecoder.ReceivedProperties();
        assertEquals(0, MqttDecoder.connack(buf, frame, MqttVersion.V5, props));
        assertEquals(10, props.receiveMaximum);
    }

    @Test
    @DisplayName("v5 CONNACK: an unknown property identifier is malformed")
    void unknownProperty() {
        final ByteBuffer buf = wire(0x20, 5, 0, 0, 2, 0x7F, 0);
        final Frame frame = new Frame();
        assertTrue(frame.read(buf, 100));
        assertThrows(MalformedPacketException.class,
                () -> MqttDecoder.connack(buf, frame, MqttVersion.V5, new MqttDecoder.ReceivedProperties()));
    }

    @Test
    @DisplayName("v3.1.1 CONNACK return code 5 (not authorized) is reported, Receive Maximum stays 65,535")
    void connackRefused() {
        final ByteBuffer buf = wire(0x20, 2, 0, 5);
        final Frame frame = new Frame();
        assertTrue(frame.read(buf, 100));
        final MqttDecoder.ReceivedProperties props = new MqttDecoder.ReceivedProperties();
        assertEquals(5, MqttDecoder.connack(buf, frame, MqttVersion.V311, props));
        assertEquals(65_535, props.receiveMaximum);
    }

    @Test
    @DisplayName("v5 SUBACK with a Reason String: the worst reason code is found after the properties")
    void subackV5() {
        final ByteBuffer buf = wire(0x90, 9, 0, 1, 4, 0x1F, 0, 1, 'x', 0x01, 0x87);
        final Frame frame = new Frame();
        assertTrue(frame.read(buf, 100));
        assertEquals(1, MqttDecoder.packetId(buf, frame));
        assertEquals(0x87, MqttDecoder.subackWorstCode(buf, frame, MqttVersion.V5));
    }

    @Test
    @DisplayName("v5 PUBACK: short form means success; long form carries the reason code and properties")
    void ackReasons() {
        final Frame frame = new Frame();
        final ByteBuffer shortForm = wire(0x40, 2, 0, 9);
        assertTrue(frame.read(shortForm, 100));
        assertEquals(0, MqttDecoder.ackReason(shortForm, frame, MqttVersion.V5));
        final ByteBuffer longForm = wire(0x40, 8, 0, 9, 0x10, 4, 0x1F, 0, 1, 'n');
        assertTrue(frame.read(longForm, 100));
        assertEquals(9, MqttDecoder.packetId(longForm, frame));
        assertEquals(0x10, MqttDecoder.ackReason(longForm, frame, MqttVersion.V5));
    }
}
