package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.nio.ByteBuffer;

/**
 * PUBLISH (3.1.1 section 3.3, 5.0 section 3.3): the hot path. Decoding allocates the packet,
 * its topic String and one copy of the payload; nothing else for a PUBLISH without properties.
 */
final class PublishCodec {

    private static final int DUP = 0x08;
    private static final int RETAIN = 0x01;

    private PublishCodec() {
    }

    static Publish decode(int flags, ByteBuffer in, ProtocolVersion version) {
        int qosValue = (flags >> 1) & 0x03;
        if (qosValue == 3) {
            throw DecodeFailure.malformed("MQTT-3.3.1-4", "PUBLISH QoS is 3");
        }
        boolean dup = (flags & DUP) != 0;
        if (dup && qosValue == 0) {
            throw DecodeFailure.malformed("MQTT-3.3.1-2", "DUP is 1 on a QoS 0 PUBLISH");
        }
        String topic = WireReader.utf8(in, version, "Topic Name");
        int packetId = qosValue > 0 ? WireReader.packetId(in, version) : 0;
        Properties properties = version.isV5() ? PropertiesCodec.read(in, PropertyLocation.PUBLISH) : Properties.EMPTY;
        if (topic.isEmpty() && version.isV5()) {
            // 5.0 lets a Topic Alias stand for the name (section 3.3.2.3.4); 3.1.1 never allows it
            if (!properties.contains(PropertyId.TOPIC_ALIAS)) {
                throw DecodeFailure.protocolError("5.0 section 3.3.2.3.4", "Topic Name is empty and there is no Topic Alias");
            }
        } else {
            WireReader.checkTopicName(topic, "MQTT-3.3.2-2", "Topic Name");
        }
        byte[] payload = WireReader.rest(in);
        return new Publish(topic, payload, QoS.of(qosValue), (flags & RETAIN) != 0, dup, packetId, properties);
    }

    static int flags(Publish p) {
        return (p.dup() ? DUP : 0) | p.qos().value() << 1 | (p.retain() ? RETAIN : 0);
    }

    static int remainingLength(Publish p, ProtocolVersion version) {
        int size = WireWriter.utf8Size(p.topic()) + p.payload().length;
        if (p.qos() != QoS.AT_MOST_ONCE) {
            size += 2;
        }
        if (version.isV5()) {
            size += PropertiesCodec.size(p.properties());
        }
        return size;
    }

    static void write(Publish p, ProtocolVersion version, ByteBuffer out) {
        writeHeader(p, version, out);
        out.put(p.payload());
    }

    /** Everything after the fixed header up to the payload. */
    static void writeHeader(Publish p, ProtocolVersion version, ByteBuffer out) {
        WireWriter.utf8(p.topic(), out);
        if (p.qos() != QoS.AT_MOST_ONCE) {
            WireWriter.packetId(p.packetId(), out);
        }
        if (version.isV5()) {
            PropertiesCodec.write(p.properties(), out);
        }
    }
}
