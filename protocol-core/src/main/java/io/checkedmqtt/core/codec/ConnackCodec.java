package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.nio.ByteBuffer;

/**
 * CONNACK (3.1.1 section 3.2, 5.0 section 3.2). 3.1.1 carries a return code 0..5, mapped onto
 * the 5.0 reason codes by {@link ConnackReturnCodes}; 5.0 a Connect Reason Code and properties.
 * MQTT 3.1 has no Session Present: its first byte is "Reserved values. Not used." (3.1 section
 * 3.2), so it is written 0 whatever the session, and read as no flag at all.
 */
final class ConnackCodec {

    private ConnackCodec() {
    }

    static Connack decode(ByteBuffer in, ProtocolVersion version) {
        int acknowledgeFlags = WireReader.unsignedByte(in, "Connect Acknowledge Flags");
        if (version == ProtocolVersion.MQTT_3_1) {
            acknowledgeFlags = 0; // reserved, not used
        } else if ((acknowledgeFlags & 0xFE) != 0) {
            throw DecodeFailure.malformed(DecodeFailure.id(version, "3.1.1 section 3.2.2.1", "MQTT-3.2.2-1"),
                    "reserved Connect Acknowledge Flags are set");
        }
        boolean sessionPresent = acknowledgeFlags == 1;
        int code = WireReader.unsignedByte(in, "Connect Reason Code");
        if (!version.isV5()) {
            ReasonCode reason = ConnackReturnCodes.fromReturnCode(code);
            if (reason == null) {
                throw DecodeFailure.malformed("3.1.1 section 3.2.2.3", "CONNACK return code " + code + " is reserved");
            }
            WireReader.expectEnd(in, "CONNACK");
            return new Connack(sessionPresent, reason, Properties.EMPTY);
        }
        ReasonCode reason = ReasonCode.of(code, PacketType.CONNACK);
        if (reason == null) {
            throw DecodeFailure.malformed("MQTT-3.2.2-8", "0x" + Integer.toHexString(code) + " is not a CONNACK reason code");
        }
        Properties properties = PropertiesCodec.read(in, PropertyLocation.CONNACK);
        WireReader.expectEnd(in, "CONNACK");
        return new Connack(sessionPresent, reason, properties);
    }

    static int remainingLength(Connack c, ProtocolVersion version) {
        return version.isV5() ? 2 + PropertiesCodec.size(c.properties()) : 2;
    }

    static void write(Connack c, ProtocolVersion version, ByteBuffer out) {
        out.put((byte) (c.sessionPresent() && version != ProtocolVersion.MQTT_3_1 ? 1 : 0));
        if (version.isV5()) {
            out.put((byte) c.reasonCode().value());
            PropertiesCodec.write(c.properties(), out);
        } else {
            out.put((byte) ConnackReturnCodes.returnCodeOf(c.reasonCode()));
        }
    }
}
