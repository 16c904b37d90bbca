package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.UnsubAck;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * UNSUBACK (3.1.1 section 3.11: just the Packet Identifier; 5.0 section 3.11: properties and one
 * reason code per filter, in order [MQTT-3.11.3-1]).
 */
final class UnsubAckCodec {

    private UnsubAckCodec() {
    }

    static UnsubAck decode(ByteBuffer in, ProtocolVersion version) {
        int packetId = WireReader.packetId(in, version);
        if (!version.isV5()) {
            WireReader.expectEnd(in, "UNSUBACK");
            return new UnsubAck(packetId, List.of(), Properties.EMPTY);
        }
        Properties properties = PropertiesCodec.read(in, PropertyLocation.UNSUBACK);
        List<ReasonCode> codes = new ArrayList<>(in.remaining());
        while (in.hasRemaining()) {
            int code = in.get() & 0xFF;
            ReasonCode reason = ReasonCode.of(code, PacketType.UNSUBACK);
            if (reason == null) {
                throw DecodeFailure.malformed("MQTT-3.11.3-2", "0x" + Integer.toHexString(code) + " is not an UNSUBACK code");
            }
            codes.add(reason);
        }
        return new UnsubAck(packetId, codes, properties);
    }

    static int remainingLength(UnsubAck u, ProtocolVersion version) {
        return version.isV5() ? 2 + PropertiesCodec.size(u.properties()) + u.reasonCodes().size() : 2;
    }

    static void write(UnsubAck u, ProtocolVersion version, ByteBuffer out) {
        WireWriter.packetId(u.packetId(), out);
        if (version.isV5()) {
            PropertiesCodec.write(u.properties(), out);
            for (ReasonCode code : u.reasonCodes()) {
                out.put((byte) code.value());
            }
        }
    }
}
