package io.checkedmqtt.broker;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;

import java.nio.ByteBuffer;

/** {@link WireCodec} on protocol-core's codec. */
final class CoreWireCodec implements WireCodec {

    @Override
    public Decoding decode(ByteBuffer input, ProtocolVersion version, int maximumPacketSize) {
        throw new UnsupportedOperationException("codec issue: not merged yet");
    }

    @Override
    public ByteBuffer encode(Packet packet, ProtocolVersion version) {
        throw new UnsupportedOperationException("codec issue: not merged yet");
    }
}
