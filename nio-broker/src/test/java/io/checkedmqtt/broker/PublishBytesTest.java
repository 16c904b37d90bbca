package io.checkedmqtt.broker;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fan-out's encoding by copy: equal, byte for byte, to encoding each copy from scratch. */
class PublishBytesTest {

    private static final Properties V5_PROPERTIES = Properties.EMPTY
            .with(new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 3600))
            .with(new Property.UserProperty("k", "v"));

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-2.3.1-1]: a copy with another packet id equals that packet encoded anew,"
            + " for every Remaining Length size, topics up to 65,535 bytes, QoS 1 and 2, ids 1 to 65,535")
    void copyEqualsFreshEncoding() {
        for (ProtocolVersion version : List.of(ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5)) {
            for (String topic : List.of("t", "fleet/topic", "x".repeat(300), "y".repeat(65_535))) {
                // Remaining Length of 1, 2, 3 and 4 bytes
                for (int payloadSize : new int[] {0, 64, 200, 20_000, 2_100_000}) {
                    for (QoS qos : List.of(QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE)) {
                        Properties properties = version.isV5() ? V5_PROPERTIES : Properties.EMPTY;
                        Publish first = new Publish(topic, new byte[payloadSize], qos, false, false, 1, properties);
                        ByteBuffer encoded = encode(first, version, false);
                        for (int id : new int[] {2, 255, 256, 4660, 65_535}) {
                            Publish next = new Publish(topic, first.payload(), qos, false, false, id, properties);
                            assertTrue(PublishBytes.differOnlyInPacketId(next, first));
                            assertArrayEquals(bytes(encode(next, version, false)),
                                    bytes(PublishBytes.withPacketId(encoded, id)),
                                    version + " topic " + topic.length() + " payload " + payloadSize + " id " + id);
                        }
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("a header encoded without its payload (a shared payload) is copied the same way; the source is left as it was")
    void headerOnly() {
        Publish first = new Publish("big/one", new byte[4096], QoS.AT_LEAST_ONCE, true, false, 7, V5_PROPERTIES);
        ByteBuffer header = encode(first, ProtocolVersion.MQTT_5, true);
        byte[] before = bytes(header);
        Publish next = new Publish("big/one", first.payload(), QoS.AT_LEAST_ONCE, true, false, 300, V5_PROPERTIES);
        assertArrayEquals(bytes(encode(next, ProtocolVersion.MQTT_5, true)), bytes(PublishBytes.withPacketId(header, 300)));
        assertArrayEquals(before, bytes(header));
    }

    @Test
    @DisplayName("only a PUBLISH with a packet id, the same flags, topic, payload array and properties object is a copy")
    void whatCountsAsACopy() {
        byte[] payload = {1, 2, 3};
        Publish base = new Publish("a/b", payload, QoS.AT_LEAST_ONCE, false, false, 1, V5_PROPERTIES);
        assertTrue(PublishBytes.differOnlyInPacketId(
                new Publish(new String("a/b"), payload, QoS.AT_LEAST_ONCE, false, false, 9, V5_PROPERTIES), base));
        assertFalse(PublishBytes.differOnlyInPacketId(
                new Publish("a/b", payload.clone(), QoS.AT_LEAST_ONCE, false, false, 2, V5_PROPERTIES), base));
        assertFalse(PublishBytes.differOnlyInPacketId(
                new Publish("a/b", payload, QoS.AT_LEAST_ONCE, false, false, 2, Properties.EMPTY), base));
        assertFalse(PublishBytes.differOnlyInPacketId(
                new Publish("a/c", payload, QoS.AT_LEAST_ONCE, false, false, 2, V5_PROPERTIES), base));
        assertFalse(PublishBytes.differOnlyInPacketId(
                new Publish("a/b", payload, QoS.EXACTLY_ONCE, false, false, 2, V5_PROPERTIES), base));
        assertFalse(PublishBytes.differOnlyInPacketId(
                new Publish("a/b", payload, QoS.AT_LEAST_ONCE, true, false, 2, V5_PROPERTIES), base));
        assertFalse(PublishBytes.differOnlyInPacketId(
                new Publish("a/b", payload, QoS.AT_LEAST_ONCE, false, true, 2, V5_PROPERTIES), base));
        Publish qos0 = new Publish("a/b", payload, QoS.AT_MOST_ONCE, false, false, 0, V5_PROPERTIES);
        assertFalse(PublishBytes.differOnlyInPacketId(qos0, qos0), "QoS 0 has no packet id to change");
    }

    private static ByteBuffer encode(Publish publish, ProtocolVersion version, boolean headerOnly) {
        ByteBuffer out = ByteBuffer.allocate(headerOnly ? MqttEncoder.publishHeaderSize(publish, version)
                : MqttEncoder.encodedSize(publish, version));
        if (headerOnly) {
            MqttEncoder.encodePublishHeader(publish, version, out);
        } else {
            MqttEncoder.encode(publish, version, out);
        }
        return out.flip();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
