package io.checkedmqtt.broker;

import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;

import java.nio.ByteBuffer;

/** {@link WireCodec} on protocol-core's {@link MqttDecoder} and {@link MqttEncoder}. */
final class CoreWireCodec implements WireCodec {

    private MqttDecoder decoder;

    @Override
    public Decoding decode(ByteBuffer input, ProtocolVersion version, int maximumPacketSize) {
        if (decoder == null || decoder.maximumPacketSize() != maximumPacketSize) {
            decoder = new MqttDecoder(maximumPacketSize);   // stateless: one serves every connection
        }
        int start = input.position();
        DecodeResult result = decoder.decode(input, version);
        input.position(start);
        if (result instanceof DecodeResult.Decoded decoded) {
            return new Frame(decoded.packet(), decoded.frameLength());
        } else if (result instanceof DecodeResult.DecodeError error) {
            return new Malformed(error.reason(), error.statement(), error.message(), error.version());
        }
        return NEED_MORE_BYTES;
    }

    @Override
    public ByteBuffer encode(Packet packet, ProtocolVersion version) {
        ByteBuffer out = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, version));
        MqttEncoder.encode(packet, version, out);
        return out.flip();
    }
}
