package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBACK (3.1.1 section 3.9, 5.0 section 3.9): one code per filter, in order. 3.1.1 knows only
 * 0x00, 0x01, 0x02 and the failure 0x80 [MQTT-3.9.3-2 in 3.1.1]; every 5.0 failure is sent to a
 * 3.1.1 client as 0x80.
 */
final class SubAckCodec {

    private SubAckCodec() {
    }

    static SubAck decode(ByteBuffer in, ProtocolVersion version) {
        int packetId = WireReader.packetId(in, version);
        Properties properties = version.isV5() ? PropertiesCodec.read(in, PropertyLocation.SUBACK) : Properties.EMPTY;
        if (!in.hasRemaining()) {
            throw DecodeFailure.protocolError(DecodeFailure.id(version, "MQTT-3.8.4-5", "MQTT-3.8.4-6"),
                    "SUBACK has no reason code");
        }
        List<ReasonCode> codes = new ArrayList<>(in.remaining());
        while (in.hasRemaining()) {
            int code = in.get() & 0xFF;
            ReasonCode reason = version.isV5() || code <= 2 || code == 0x80 ? ReasonCode.of(code, PacketType.SUBACK) : null;
            if (reason == null) {
                throw DecodeFailure.malformed(DecodeFailure.id(version, "MQTT-3.9.3-2", "MQTT-3.9.3-2"),
                        "0x" + Integer.toHexString(code) + " is not a SUBACK code");
            }
            codes.add(reason);
        }
        return new SubAck(packetId, codes, properties);
    }

    static int remainingLength(SubAck s, ProtocolVersion version) {
        return 2 + s.reasonCodes().size() + (version.isV5() ? PropertiesCodec.size(s.properties()) : 0);
    }

    static void write(SubAck s, ProtocolVersion version, ByteBuffer out) {
        WireWriter.packetId(s.packetId(), out);
        if (version.isV5()) {
            PropertiesCodec.write(s.properties(), out);
        }
        for (ReasonCode code : s.reasonCodes()) {
            out.put((byte) (version.isV5() || !code.isError() ? code.value() : 0x80));
        }
    }
}
