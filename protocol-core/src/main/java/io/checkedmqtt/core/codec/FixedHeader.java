package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.nio.ByteBuffer;

/**
 * The fixed header: packet type and flags in the first byte, then the Remaining Length
 * (3.1.1 section 2.2, 5.0 section 2.1).
 */
final class FixedHeader {

    /** The QoS field of the fixed-header flags, and its value for QoS 1. */
    private static final int QOS_BITS = 0x06;
    private static final int QOS_1 = 0x02;

    private FixedHeader() {
    }

    /**
     * Checks the first byte before anything else is read, or returns null when it is fine: the type
     * must exist in this version, must be CONNECT before a CONNECT was accepted, and must carry the
     * flags the version allows for it ({@link #flagsAllowed}).
     */
    static DecodeResult.DecodeError check(PacketType type, int flags, int typeValue, ProtocolVersion version) {
        if (type == null || type == PacketType.AUTH && version != null && !version.isV5()) {
            return new DecodeResult.DecodeError(ReasonCode.MALFORMED_PACKET,
                    DecodeFailure.id(version, "3.1.1 section 2.2.1", "5.0 section 2.1.2"),
                    "packet type " + typeValue + " is reserved");
        }
        if (version == null && type != PacketType.CONNECT) {
            return new DecodeResult.DecodeError(ReasonCode.PROTOCOL_ERROR, "MQTT-3.1.0-1",
                    "the first packet is " + type + ", not CONNECT");
        }
        if (type != PacketType.PUBLISH && !flagsAllowed(type, flags, version)) {
            return new DecodeResult.DecodeError(ReasonCode.MALFORMED_PACKET, flagsStatement(type, version),
                    type + " has fixed-header flags " + Integer.toBinaryString(flags | 0x10).substring(1)
                            + ", not " + Integer.toBinaryString(type.requiredFlags() | 0x10).substring(1));
        }
        return null;
    }

    /**
     * Whether a packet other than PUBLISH may carry these fixed-header flags. 3.1.1 and 5.0 fix
     * them for every type [MQTT-2.2.2-1/2 in 3.1.1, MQTT-2.1.3-1 in 5.0]. MQTT 3.1 (its section
     * 2.1 and the per-packet sections) gives them a meaning only on PUBREL, SUBSCRIBE and
     * UNSUBSCRIBE, which are sent at QoS 1 and carry DUP=1 when retried (RETAIN "not used"), and
     * calls them "not used" on every other packet, so a 3.1 receiver reads nothing into them. The
     * flags of a first CONNECT wait until its Protocol Level is known ({@link ConnectCodec}).
     */
    static boolean flagsAllowed(PacketType type, int flags, ProtocolVersion version) {
        if (version == null) {
            return true; // only a first CONNECT gets here
        }
        if (version == ProtocolVersion.MQTT_3_1) {
            return switch (type) {
                case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> (flags & QOS_BITS) == QOS_1;
                default -> true;
            };
        }
        return flags == type.requiredFlags();
    }

    /** The statement a packet with the wrong fixed-header flags breaks. */
    static String flagsStatement(PacketType type, ProtocolVersion version) {
        if (version == ProtocolVersion.MQTT_3_1) {
            return "MQTT 3.1 section 2.1 (QoS 1 on PUBREL, SUBSCRIBE, UNSUBSCRIBE)";
        }
        return switch (type) {
            case PUBREL -> "MQTT-3.6.1-1";
            case SUBSCRIBE -> "MQTT-3.8.1-1";
            case UNSUBSCRIBE -> "MQTT-3.10.1-1";
            case DISCONNECT -> "MQTT-3.14.1-1";
            case AUTH -> "MQTT-3.15.1-1";
            default -> DecodeFailure.id(version, "MQTT-2.2.2-2", "MQTT-2.1.3-1");
        };
    }

    /** The size of a fixed header in front of a body of {@code remainingLength} bytes. */
    static int size(int remainingLength) {
        return 1 + VariableByteInteger.size(remainingLength);
    }

    static void write(PacketType type, int flags, int remainingLength, ByteBuffer out) {
        out.put((byte) (type.value() << 4 | flags));
        VariableByteInteger.write(remainingLength, out);
    }
}
