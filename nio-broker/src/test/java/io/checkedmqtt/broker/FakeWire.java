package io.checkedmqtt.broker;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A toy framing for testing the loop without the real codec: a 2-byte big-endian length, then
 * that many bytes of text, decoded as a QoS 0 PUBLISH whose payload is the text. Length 0xFFFF is
 * malformed.
 */
final class FakeWire implements WireCodec {

    static Publish text(String text) {
        return new Publish("t", text.getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE, false, false, 0,
                Properties.EMPTY);
    }

    static String textOf(Packet packet) {
        return new String(((Publish) packet).payload(), StandardCharsets.UTF_8);
    }

    static byte[] frame(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(2 + body.length);
        out.putShort((short) body.length).put(body);
        return out.array();
    }

    @Override
    public Decoding decode(ByteBuffer input, ProtocolVersion version, int maximumPacketSize) {
        if (input.remaining() < 2) {
            return NEED_MORE_BYTES;
        }
        int length = input.getShort(input.position()) & 0xFFFF;
        if (length == 0xFFFF) {
            return new Malformed(ReasonCode.MALFORMED_PACKET, "FAKE-1", "length 0xFFFF");
        }
        if (input.remaining() < 2 + length) {
            return NEED_MORE_BYTES;
        }
        byte[] body = new byte[length];
        input.get(input.position() + 2, body);
        return new Frame(text(new String(body, StandardCharsets.UTF_8)), 2 + length);
    }

    @Override
    public ByteBuffer encode(Packet packet, ProtocolVersion version) {
        return ByteBuffer.wrap(frame(textOf(packet)));
    }
}
