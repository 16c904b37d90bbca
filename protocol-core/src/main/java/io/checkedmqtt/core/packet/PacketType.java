package io.checkedmqtt.core.packet;

/**
 * The fifteen MQTT control packet types, with the fixed-header flag bits each one must carry.
 * PUBLISH is the only type whose flags vary (DUP, QoS, RETAIN); for all others a different
 * value is a malformed packet [MQTT-2.1.3-1 in 5.0, MQTT-2.2.2-2 in 3.1.1].
 */
public enum PacketType {
    CONNECT(1, 0b0000),
    CONNACK(2, 0b0000),
    PUBLISH(3, -1),
    PUBACK(4, 0b0000),
    PUBREC(5, 0b0000),
    PUBREL(6, 0b0010),
    PUBCOMP(7, 0b0000),
    SUBSCRIBE(8, 0b0010),
    SUBACK(9, 0b0000),
    UNSUBSCRIBE(10, 0b0010),
    UNSUBACK(11, 0b0000),
    PINGREQ(12, 0b0000),
    PINGRESP(13, 0b0000),
    DISCONNECT(14, 0b0000),
    /** MQTT 5.0 only. */
    AUTH(15, 0b0000);

    private final int value;
    private final int requiredFlags;

    PacketType(int value, int requiredFlags) {
        this.value = value;
        this.requiredFlags = requiredFlags;
    }

    /** The four high bits of the first fixed-header byte. */
    public int value() {
        return value;
    }

    /** The low four bits the fixed header must carry, or -1 for PUBLISH whose flags carry data. */
    public int requiredFlags() {
        return requiredFlags;
    }

    /** The type for the high nibble of a fixed header, or null for 0 (reserved). */
    public static PacketType of(int value) {
        return switch (value) {
            case 1 -> CONNECT;
            case 2 -> CONNACK;
            case 3 -> PUBLISH;
            case 4 -> PUBACK;
            case 5 -> PUBREC;
            case 6 -> PUBREL;
            case 7 -> PUBCOMP;
            case 8 -> SUBSCRIBE;
            case 9 -> SUBACK;
            case 10 -> UNSUBSCRIBE;
            case 11 -> UNSUBACK;
            case 12 -> PINGREQ;
            case 13 -> PINGRESP;
            case 14 -> DISCONNECT;
            case 15 -> AUTH;
            default -> null;
        };
    }
}
