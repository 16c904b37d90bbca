package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.ReasonCode;

import java.nio.ByteBuffer;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP (sections 3.4 to 3.7): the same layout. 3.1.1: a Packet
 * Identifier, nothing else. 5.0: a Packet Identifier, then optionally a Reason Code, then
 * optionally properties; a Remaining Length of 2 means Success without properties, 3 means a
 * reason code without properties (sections 3.4.2.1, 3.4.2.2.1).
 */
final class PublishAckCodec {

    private PublishAckCodec() {
    }

    static Packet decode(PacketType type, ByteBuffer in, ProtocolVersion version) {
        int packetId = WireReader.packetId(in, version);
        ReasonCode reason = ReasonCode.SUCCESS;
        Properties properties = Properties.EMPTY;
        if (version.isV5() && in.hasRemaining()) {
            int code = WireReader.unsignedByte(in, type + " Reason Code");
            reason = ReasonCode.of(code, type);
            if (reason == null) {
                throw DecodeFailure.malformed(reasonStatement(type),
                        "0x" + Integer.toHexString(code) + " is not a " + type + " reason code");
            }
            if (in.hasRemaining()) {
                properties = PropertiesCodec.read(in, location(type));
            }
        }
        WireReader.expectEnd(in, type.toString());
        return switch (type) {
            case PUBACK -> new PubAck(packetId, reason, properties);
            case PUBREC -> new PubRec(packetId, reason, properties);
            case PUBREL -> new PubRel(packetId, reason, properties);
            default -> new PubComp(packetId, reason, properties);
        };
    }

    private static String reasonStatement(PacketType type) {
        return switch (type) {
            case PUBACK -> "MQTT-3.4.2-1";
            case PUBREC -> "MQTT-3.5.2-1";
            case PUBREL -> "MQTT-3.6.2-1";
            default -> "MQTT-3.7.2-1";
        };
    }

    private static PropertyLocation location(PacketType type) {
        return switch (type) {
            case PUBACK -> PropertyLocation.PUBACK;
            case PUBREC -> PropertyLocation.PUBREC;
            case PUBREL -> PropertyLocation.PUBREL;
            default -> PropertyLocation.PUBCOMP;
        };
    }

    static int remainingLength(int packetId, ReasonCode reason, Properties properties, ProtocolVersion version) {
        if (!version.isV5() || properties.isEmpty() && reason == ReasonCode.SUCCESS) {
            return 2;
        }
        return properties.isEmpty() ? 3 : 3 + PropertiesCodec.size(properties);
    }

    static void write(int packetId, ReasonCode reason, Properties properties, ProtocolVersion version, ByteBuffer out) {
        WireWriter.packetId(packetId, out);
        if (!version.isV5() || properties.isEmpty() && reason == ReasonCode.SUCCESS) {
            return;
        }
        out.put((byte) reason.value());
        if (!properties.isEmpty()) {
            PropertiesCodec.write(properties, out);
        }
    }
}
