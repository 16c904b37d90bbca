package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Packet;

/**
 * Where {@link MqttDecoder#decode(java.nio.ByteBuffer, io.checkedmqtt.core.packet.ProtocolVersion, DecodeSink)}
 * hands what it read, so that the hot path allocates nothing beyond the packet value: no
 * {@link DecodeResult.Decoded} wrapper per frame. The decoder calls at most one method per call,
 * after it has moved (or restored) the buffer's position; the sink belongs to the caller, so any
 * state it keeps lives outside the pure core.
 */
public interface DecodeSink {

    /** One whole frame was read and consumed; the decoder's return value is its length. */
    void packet(Packet packet);

    /**
     * The bytes break the protocol and nothing was consumed; the decoder returns -1. The
     * connection must be closed [v3.1.1 MQTT-4.8.0-1, v5 MQTT-4.13.1-1].
     */
    void error(DecodeResult.DecodeError error);
}
