package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.util.Objects;

/**
 * What {@link MqttDecoder#decode} answers for the bytes that have arrived so far: wait for more,
 * one packet, or the reason the stream is broken.
 */
public sealed interface DecodeResult permits DecodeResult.NeedMoreBytes, DecodeResult.Decoded, DecodeResult.DecodeError {

    /** The frame is incomplete; nothing was consumed. Call again when more bytes arrive. */
    record NeedMoreBytes() implements DecodeResult {
        public static final NeedMoreBytes INSTANCE = new NeedMoreBytes();
    }

    /** One packet; exactly {@code frameLength} bytes were consumed from the buffer. */
    record Decoded(Packet packet, int frameLength) implements DecodeResult {
        public Decoded {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /**
     * The bytes break the protocol; nothing was consumed. The connection must be closed [MQTT-4.8.0-1 in
     * 3.1.1, MQTT-4.13.1-1 in 5.0]; in 5.0 a DISCONNECT (or CONNACK before CONNECT was accepted) with
     * {@code reason} may be sent first.
     *
     * @param reason    Malformed Packet (0x81), Protocol Error (0x82), Packet too large (0x95), ...
     * @param statement the normative statement violated, e.g. {@code "MQTT-1.5.4-2"}, or the spec section
     *                  when the rule has no number
     * @param message   what exactly was wrong, for the log line
     * @param version   the protocol version the bytes were read as, when known: the connection's
     *                  version, or for a first CONNECT the one its Protocol Name and Level state;
     *                  null when not known. With 5.0 known, the server may answer a malformed
     *                  CONNECT with CONNACK 0x81 / 0x82 before closing [v5 MQTT-4.13.1-1, 3.1.4]
     */
    record DecodeError(ReasonCode reason, String statement, String message, ProtocolVersion version)
            implements DecodeResult {
        public DecodeError {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(statement, "statement");
            Objects.requireNonNull(message, "message");
        }

        /** An error whose protocol version is not known (yet). */
        public DecodeError(ReasonCode reason, String statement, String message) {
            this(reason, statement, message, null);
        }

        /** This error, read as {@code v}. */
        public DecodeError withVersion(ProtocolVersion v) {
            return v == version ? this : new DecodeError(reason, statement, message, v);
        }
    }
}
