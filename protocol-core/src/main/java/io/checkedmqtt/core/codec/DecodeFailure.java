package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

/**
 * Raised inside the packet decoders when a frame breaks a rule, and turned into a
 * {@link DecodeResult.DecodeError} by {@link MqttDecoder} before it can leave the codec. It only
 * happens on bad input, never on the path of a valid packet, and it carries no stack trace
 * (the statement id says where the problem is).
 */
final class DecodeFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ReasonCode reason;
    private final String statement;

    private DecodeFailure(ReasonCode reason, String statement, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.statement = statement;
    }

    static DecodeFailure malformed(String statement, String message) {
        return new DecodeFailure(ReasonCode.MALFORMED_PACKET, statement, message);
    }

    static DecodeFailure protocolError(String statement, String message) {
        return new DecodeFailure(ReasonCode.PROTOCOL_ERROR, statement, message);
    }

    static DecodeFailure of(ReasonCode reason, String statement, String message) {
        return new DecodeFailure(reason, statement, message);
    }

    /** A field runs past the end of the frame: the Remaining Length does not match the contents. */
    static DecodeFailure truncated(String field) {
        return malformed(REMAINING_LENGTH, field + " runs past the end of the packet");
    }

    /** The section that defines the Remaining Length (no numbered statement covers a mismatch). */
    static final String REMAINING_LENGTH = "3.1.1 section 2.2.3 / 5.0 section 2.1.4 (Remaining Length)";

    /** Picks the statement id of the version at hand: the numbering differs between 3.1.1 and 5.0. */
    static String id(ProtocolVersion version, String v311, String v5) {
        return version == ProtocolVersion.MQTT_5 ? v5 : v311;
    }

    DecodeResult.DecodeError toResult() {
        return new DecodeResult.DecodeError(reason, statement, getMessage());
    }
}
