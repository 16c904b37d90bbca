package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * For tests: whole packets to and from byte arrays. The broker never needs this (it decodes from
 * and encodes into its connections' buffers), so it lives in the test sources.
 */
public final class MqttCodec {

    private MqttCodec() {
    }

    /** The wire form of one packet. */
    public static byte[] encodeToBytes(Packet packet, ProtocolVersion version) {
        ByteBuffer out = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, version));
        MqttEncoder.encode(packet, version, out);
        return out.array();
    }

    /**
     * Decodes one whole packet that fills {@code bytes} exactly, with no size limit beyond MQTT's own.
     *
     * @return the {@link DecodeResult}; a {@link DecodeResult.Decoded} only if the frame used every byte
     */
    public static DecodeResult decodeOne(byte[] bytes, ProtocolVersion version) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        DecodeResult result = new MqttDecoder(Integer.MAX_VALUE).decode(in, version);
        if (result instanceof DecodeResult.Decoded && in.hasRemaining()) {
            return new DecodeResult.DecodeError(ReasonCode.MALFORMED_PACKET,
                    DecodeFailure.REMAINING_LENGTH, in.remaining() + " bytes follow the packet");
        }
        return result;
    }

    /**
     * Decodes every whole packet in {@code bytes}, stopping at the first error or at an incomplete
     * tail; the version of a leading CONNECT carries over to the packets after it.
     */
    public static List<DecodeResult> decodeAll(byte[] bytes, ProtocolVersion version) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        MqttDecoder decoder = new MqttDecoder(Integer.MAX_VALUE);
        List<DecodeResult> results = new ArrayList<>();
        ProtocolVersion current = version;
        while (true) {
            DecodeResult result = decoder.decode(in, current);
            results.add(result);
            if (!(result instanceof DecodeResult.Decoded decoded)) {
                return results;
            }
            if (decoded.packet() instanceof Connect connect && current == null) {
                current = connect.version();
            }
            if (!in.hasRemaining()) {
                return results;
            }
        }
    }
}
