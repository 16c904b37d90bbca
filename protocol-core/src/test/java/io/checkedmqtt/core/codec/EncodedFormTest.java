package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property.StringProperty;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static io.checkedmqtt.core.packet.ProtocolVersion.MQTT_5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.quicktheories.QuickTheory.qt;

/**
 * What the encoder writes, read back byte by byte against the spec's layouts rather than through
 * the decoder: the rules here bind the sender, and the broker is the sender of what it encodes.
 */
class EncodedFormTest {

    /** Table 2.2 (3.1.1) / 2-2 (5.0): PUBREL, SUBSCRIBE and UNSUBSCRIBE carry 0010, all others but PUBLISH 0000. */
    private static int reservedFlags(PacketType type) {
        return switch (type) {
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> 0b0010;
            default -> 0b0000;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-2.2.2-1] v5 [MQTT-2.1.3-1] every encoded packet carries the fixed-header flags of Table 2.2")
    void fixedHeaderFlags(ProtocolVersion v) {
        qt().withExamples(2_000).forAll(PacketGenerators.packets(v)).checkAssert(p -> {
            int first = MqttCodec.encodeToBytes(p, v)[0] & 0xFF;
            assertEquals(p.type().value(), first >> 4, "packet type nibble");
            int expected = p instanceof Publish pub
                    ? (pub.dup() ? 0b1000 : 0) | pub.qos().value() << 1 | (pub.retain() ? 1 : 0)
                    : reservedFlags(p.type());
            assertEquals(expected, first & 0x0F, v + " " + p.type());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.3.2-1] v5 [MQTT-3.3.2-1] the Topic Name is the first field after the fixed header, a UTF-8 string")
    void topicNameFirst(ProtocolVersion v) {
        qt().withExamples(2_000).forAll(PacketGenerators.packets(v)).checkAssert(p -> {
            if (!(p instanceof Publish pub)) {
                return;
            }
            byte[] bytes = MqttCodec.encodeToBytes(pub, v);
            int at = variableHeaderStart(bytes);
            byte[] topic = pub.topic().getBytes(StandardCharsets.UTF_8);
            assertEquals(topic.length, (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF, "length prefix");
            assertEquals(Hex.of(topic), Hex.of(Arrays.copyOfRange(bytes, at + 2, at + 2 + topic.length)));
        });
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-13] [MQTT-3.3.2-19] Response Topic and Content Type are written as UTF-8 Encoded Strings")
    void responseTopicAndContentType() {
        for (String text : List.of("", "a/b", "caf\u00e9/\u65e5\u672c", "\ud83d\ude00", "\ufeffbom", "text/plain; charset=utf-8")) {
            Publish pub = new Publish("t", new byte[0], QoS.AT_MOST_ONCE, false, false, 0, Properties.of(
                    new StringProperty(PropertyId.CONTENT_TYPE, text),
                    new StringProperty(PropertyId.RESPONSE_TOPIC, text.isEmpty() ? "r" : text)));
            byte[] bytes = MqttCodec.encodeToBytes(pub, MQTT_5);
            // fixed header, Topic Name "t" (3 bytes), no Packet Identifier at QoS 0, then the properties
            int at = variableHeaderStart(bytes) + 3;
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            writeStringProperty(expected, 0x03, text);
            writeStringProperty(expected, 0x08, text.isEmpty() ? "r" : text);
            byte[] props = expected.toByteArray();
            assertEquals(props.length, bytes[at], "Property Length (below 128: one byte)");
            assertEquals(Hex.of(props), Hex.of(Arrays.copyOfRange(bytes, at + 1, at + 1 + props.length)), text);
            assertEquals(at + 1 + props.length, bytes.length, "nothing but the properties, the payload is empty");
        }
    }

    private static void writeStringProperty(ByteArrayOutputStream out, int id, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.write(id);
        out.write(utf8.length >> 8);
        out.write(utf8.length & 0xFF);
        out.writeBytes(utf8);
    }

    @Test
    @DisplayName("v5 [MQTT-2.2.2-1] a packet without properties still carries a Property Length of 0")
    void zeroPropertyLength() {
        assertEncodes("20 03 00 00 00", new Connack(false, ReasonCode.SUCCESS, Properties.EMPTY));
        assertEncodes("32 0A 00 03 61 2F 62 00 0A 00 68 69",
                new Publish("a/b", "hi".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false, false, 10,
                        Properties.EMPTY));
        assertEncodes("30 06 00 01 61 00 68 69",
                new Publish("a", "hi".getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE, false, false, 0,
                        Properties.EMPTY));
        assertEncodes("90 04 00 0A 00 01", new SubAck(10, List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY));
        assertEncodes("B0 04 00 0A 00 00", new UnsubAck(10, List.of(ReasonCode.SUCCESS), Properties.EMPTY));
    }

    private static void assertEncodes(String hex, Packet p) {
        byte[] bytes = MqttCodec.encodeToBytes(p, MQTT_5);
        assertEquals(hex, Hex.of(bytes));
        // and the decoder reads the same packet back
        DecodeResult back = MqttCodec.decodeOne(bytes, MQTT_5);
        assertEquals(Hex.of(bytes), Hex.of(MqttCodec.encodeToBytes(packetOf(back), MQTT_5)));
    }

    private static Packet packetOf(DecodeResult r) {
        return assertInstanceOf(DecodeResult.Decoded.class, r).packet();
    }

    /** Index of the first byte after the fixed header (type byte and Remaining Length). */
    private static int variableHeaderStart(byte[] bytes) {
        int i = 1;
        while ((bytes[i] & 0x80) != 0) {
            i++;
        }
        return i + 1;
    }
}
