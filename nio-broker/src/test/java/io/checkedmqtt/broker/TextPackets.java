package io.checkedmqtt.broker;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Text carried in real MQTT 3.1.1 packets, for testing the loop with a scripted core: a command or
 * an answer is a QoS 0 PUBLISH to topic {@code t} whose payload is the text. The loop's framing is
 * then the real decoder's.
 */
final class TextPackets {

    static final ProtocolVersion VERSION = ProtocolVersion.MQTT_3_1_1;

    private TextPackets() {
    }

    static Publish text(String text) {
        return new Publish("t", text.getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE, false, false, 0,
                Properties.EMPTY);
    }

    static String textOf(Packet packet) {
        return new String(((Publish) packet).payload(), StandardCharsets.UTF_8);
    }

    /** The bytes of the PUBLISH carrying {@code text}. */
    static byte[] frame(String text) {
        return bytes(text(text));
    }

    /** The bytes of the CONNECT a text client opens with. */
    static byte[] connectFrame(String clientId) {
        return bytes(new Connect(VERSION, clientId, true, 0, null, null, null, Properties.EMPTY));
    }

    private static byte[] bytes(Packet packet) {
        return bytes(packet, VERSION);
    }

    /** Any packet's bytes in {@code version}. */
    static byte[] bytes(Packet packet, ProtocolVersion version) {
        ByteBuffer out = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, version));
        MqttEncoder.encode(packet, version, out);
        return out.array();
    }
}
