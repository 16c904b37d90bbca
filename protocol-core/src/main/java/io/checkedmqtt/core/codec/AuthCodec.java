package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.ReasonCode;

import java.nio.ByteBuffer;

/**
 * AUTH (5.0 only, section 3.15). A Remaining Length of 0 means Success without properties
 * (section 3.15.2.1). A lone reason code is accepted too; this codec always writes the Property
 * Length after a reason code.
 */
final class AuthCodec {

    private static final Auth SUCCESS = new Auth(ReasonCode.SUCCESS, Properties.EMPTY);

    private AuthCodec() {
    }

    static Auth decode(ByteBuffer in) {
        if (!in.hasRemaining()) {
            return SUCCESS;
        }
        int code = in.get() & 0xFF;
        ReasonCode reason = ReasonCode.of(code, PacketType.AUTH);
        if (reason == null) {
            throw DecodeFailure.malformed("MQTT-3.15.2-1", "0x" + Integer.toHexString(code) + " is not an AUTH reason code");
        }
        Properties properties = in.hasRemaining() ? PropertiesCodec.read(in, PropertyLocation.AUTH) : Properties.EMPTY;
        WireReader.expectEnd(in, "AUTH");
        return new Auth(reason, properties);
    }

    static int remainingLength(Auth a) {
        if (a.reasonCode() == ReasonCode.SUCCESS && a.properties().isEmpty()) {
            return 0;
        }
        return 1 + PropertiesCodec.size(a.properties());
    }

    static void write(Auth a, ByteBuffer out) {
        if (a.reasonCode() == ReasonCode.SUCCESS && a.properties().isEmpty()) {
            return;
        }
        out.put((byte) a.reasonCode().value());
        PropertiesCodec.write(a.properties(), out);
    }
}
