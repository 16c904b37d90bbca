package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;

import java.nio.ByteBuffer;

/**
 * CONNECT (3.1.1 section 3.1, 5.0 section 3.1, and the 3.1 form with protocol name
 * {@code MQIsdp}, level 3). The protocol level in the packet decides how the rest is read.
 */
final class ConnectCodec {

    private static final int USER_NAME = 0x80;
    private static final int PASSWORD = 0x40;
    private static final int WILL_RETAIN = 0x20;
    private static final int WILL_QOS_SHIFT = 3;
    private static final int WILL_FLAG = 0x04;
    private static final int CLEAN_START = 0x02;
    private static final int RESERVED = 0x01;

    private ConnectCodec() {
    }

    /**
     * @param fixedHeaderFlags the low four bits of the first byte: 0000 in 3.1.1 and 5.0, "not used"
     *                         in 3.1, so only now, with the Protocol Level read, can they be judged
     */
    static Connect decode(ByteBuffer in, int fixedHeaderFlags) {
        ProtocolVersion version = readProtocol(in);
        if (!FixedHeader.flagsAllowed(PacketType.CONNECT, fixedHeaderFlags, version)) {
            throw DecodeFailure.malformed(FixedHeader.flagsStatement(PacketType.CONNECT, version),
                    "CONNECT has fixed-header flags " + Integer.toBinaryString(fixedHeaderFlags | 0x10).substring(1)
                            + ", not 0000");
        }
        int flags = WireReader.unsignedByte(in, "Connect Flags");
        if ((flags & RESERVED) != 0 && version != ProtocolVersion.MQTT_3_1) {
            // 3.1 calls bit 0 "Reserved" and "not used" (3.1 section 3.1) and sets no rule on it;
            // 3.1.1 and 5.0 make the server check it [MQTT-3.1.2-3].
            throw DecodeFailure.malformed("MQTT-3.1.2-3", "the reserved Connect Flags bit is 1");
        }
        boolean willFlag = (flags & WILL_FLAG) != 0;
        int willQos = (flags >> WILL_QOS_SHIFT) & 0x03;
        boolean willRetain = (flags & WILL_RETAIN) != 0;
        if (!willFlag && willQos != 0) {
            throw DecodeFailure.malformed(DecodeFailure.id(version, "MQTT-3.1.2-13", "MQTT-3.1.2-11"),
                    "Will QoS is " + willQos + " without a Will Flag");
        }
        if (!willFlag && willRetain) {
            throw DecodeFailure.malformed(DecodeFailure.id(version, "MQTT-3.1.2-15", "MQTT-3.1.2-13"),
                    "Will Retain is set without a Will Flag");
        }
        if (willQos == 3) {
            throw DecodeFailure.malformed(DecodeFailure.id(version, "MQTT-3.1.2-14", "MQTT-3.1.2-12"), "Will QoS is 3");
        }
        boolean hasUserName = (flags & USER_NAME) != 0;
        boolean hasPassword = (flags & PASSWORD) != 0;
        if (!version.isV5() && hasPassword && !hasUserName) {
            throw DecodeFailure.malformed("MQTT-3.1.2-22", "Password Flag is set without a User Name Flag");
        }
        int keepAlive = WireReader.twoByteInteger(in, "Keep Alive");
        Properties properties = version.isV5() ? PropertiesCodec.read(in, PropertyLocation.CONNECT) : Properties.EMPTY;

        String clientId = WireReader.utf8(in, version, "Client Identifier");
        Will will = null;
        if (willFlag) {
            Properties willProperties = version.isV5() ? PropertiesCodec.read(in, PropertyLocation.WILL) : Properties.EMPTY;
            String willTopic = WireReader.utf8(in, version, "Will Topic");
            WireReader.checkTopicName(willTopic, DecodeFailure.id(version, "MQTT-4.7.1-1", "MQTT-4.7.0-1"),
                    "Will Topic");
            byte[] willPayload = WireReader.binary(in, "Will Payload");
            will = new Will(willTopic, willPayload, QoS.of(willQos), willRetain, willProperties);
        }
        String userName = hasUserName ? WireReader.utf8(in, version, "User Name") : null;
        byte[] password = hasPassword ? WireReader.binary(in, "Password") : null;
        WireReader.expectEnd(in, "CONNECT");
        return new Connect(version, clientId, (flags & CLEAN_START) != 0, keepAlive, userName, password, will,
                properties);
    }

    /**
     * Protocol Name and Level. A name other than MQTT / MQIsdp [MQTT-3.1.2-1] or a level this codec
     * does not speak [MQTT-3.1.2-2] is reported as Unsupported Protocol Version, so the session can
     * answer CONNACK 0x01 (3.1.1) or 0x84 (5.0) before closing.
     */
    private static ProtocolVersion readProtocol(ByteBuffer in) {
        int nameLength = WireReader.twoByteInteger(in, "Protocol Name length");
        if (in.remaining() < nameLength) {
            throw DecodeFailure.truncated("Protocol Name");
        }
        int at = in.position();
        boolean mqtt = nameLength == 4 && matches(in, at, "MQTT");
        boolean mqisdp = nameLength == 6 && matches(in, at, "MQIsdp");
        if (!mqtt && !mqisdp) {
            throw DecodeFailure.of(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "MQTT-3.1.2-1",
                    "Protocol Name is neither MQTT nor MQIsdp");
        }
        in.position(at + nameLength);
        int level = WireReader.unsignedByte(in, "Protocol Level");
        ProtocolVersion version = ProtocolVersion.ofLevel(level);
        if (version == null || (version == ProtocolVersion.MQTT_3_1) != mqisdp) {
            throw DecodeFailure.of(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "MQTT-3.1.2-2",
                    "unsupported Protocol Level " + level + " for protocol name " + (mqtt ? "MQTT" : "MQIsdp"));
        }
        return version;
    }

    private static boolean matches(ByteBuffer in, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (in.get(at + i) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int remainingLength(Connect c) {
        ProtocolVersion version = c.version();
        int size = WireWriter.utf8Size(version.protocolName()) + 1 + 1 + 2;
        if (version.isV5()) {
            size += PropertiesCodec.size(c.properties());
        }
        size += WireWriter.utf8Size(c.clientId());
        Will will = c.will();
        if (will != null) {
            if (version.isV5()) {
                size += PropertiesCodec.size(will.properties());
            }
            size += WireWriter.utf8Size(will.topic()) + WireWriter.binarySize(will.payload());
        }
        if (c.userName() != null) {
            size += WireWriter.utf8Size(c.userName());
        }
        if (c.password() != null) {
            size += WireWriter.binarySize(c.password());
        }
        return size;
    }

    static void write(Connect c, ByteBuffer out) {
        ProtocolVersion version = c.version();
        if (c.keepAliveSeconds() < 0 || c.keepAliveSeconds() > 65_535) {
            throw new IllegalArgumentException("Keep Alive must be 0..65535: " + c.keepAliveSeconds());
        }
        WireWriter.utf8(version.protocolName(), out);
        out.put((byte) version.level());
        Will will = c.will();
        int flags = (c.cleanStart() ? CLEAN_START : 0)
                | (will != null ? WILL_FLAG | will.qos().value() << WILL_QOS_SHIFT | (will.retain() ? WILL_RETAIN : 0) : 0)
                | (c.userName() != null ? USER_NAME : 0)
                | (c.password() != null ? PASSWORD : 0);
        out.put((byte) flags);
        out.putShort((short) c.keepAliveSeconds());
        if (version.isV5()) {
            PropertiesCodec.write(c.properties(), out);
        }
        WireWriter.utf8(c.clientId(), out);
        if (will != null) {
            if (version.isV5()) {
                PropertiesCodec.write(will.properties(), out);
            }
            WireWriter.utf8(will.topic(), out);
            WireWriter.binary(will.payload(), out);
        }
        if (c.userName() != null) {
            WireWriter.utf8(c.userName(), out);
        }
        if (c.password() != null) {
            WireWriter.binary(c.password(), out);
        }
    }
}
