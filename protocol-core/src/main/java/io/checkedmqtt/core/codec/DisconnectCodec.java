package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.nio.ByteBuffer;

/**
 * DISCONNECT. 3.1.1 (section 3.14): no body. 5.0 (section 3.14): a Reason Code, omitted when it
 * is Normal disconnection and nothing follows; a Property Length, omitted when the Remaining
 * Length is below 2 (section 3.14.2.2.1).
 */
final class DisconnectCodec {

    private DisconnectCodec() {
    }

    static Disconnect decode(ByteBuffer in, ProtocolVersion version) {
        if (!version.isV5() || !in.hasRemaining()) {
            WireReader.expectEnd(in, "DISCONNECT");
            return Disconnect.NORMAL;
        }
        int code = in.get() & 0xFF;
        ReasonCode reason = ReasonCode.of(code, PacketType.DISCONNECT);
        if (reason == null) {
            throw DecodeFailure.malformed("MQTT-3.14.2-1", "0x" + Integer.toHexString(code) + " is not a DISCONNECT reason code");
        }
        Properties properties = in.hasRemaining() ? PropertiesCodec.read(in, PropertyLocation.DISCONNECT) : Properties.EMPTY;
        WireReader.expectEnd(in, "DISCONNECT");
        return new Disconnect(reason, properties);
    }

    static int remainingLength(Disconnect d, ProtocolVersion version) {
        if (!version.isV5()) {
            return 0;
        }
        if (d.properties().isEmpty()) {
            return d.reasonCode() == ReasonCode.NORMAL_DISCONNECTION ? 0 : 1;
        }
        return 1 + PropertiesCodec.size(d.properties());
    }

    static void write(Disconnect d, ProtocolVersion version, ByteBuffer out) {
        if (!version.isV5() || d.properties().isEmpty() && d.reasonCode() == ReasonCode.NORMAL_DISCONNECTION) {
            return;
        }
        out.put((byte) d.reasonCode().value());
        if (!d.properties().isEmpty()) {
            PropertiesCodec.write(d.properties(), out);
        }
    }
}
