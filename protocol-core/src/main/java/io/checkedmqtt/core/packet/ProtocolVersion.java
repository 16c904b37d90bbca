package io.checkedmqtt.core.packet;

/**
 * The protocol level a client asks for in CONNECT. Level 3 is MQTT 3.1 (protocol name
 * {@code MQIsdp}); the broker speaks to it as to 3.1.1, its successor, except where the two
 * differ on the wire, which the codec handles: 3.1's CONNACK has no Session Present bit, and
 * its fixed-header flags allow DUP on retried PUBREL, SUBSCRIBE and UNSUBSCRIBE.
 */
public enum ProtocolVersion {
    MQTT_3_1(3, "MQIsdp"),
    MQTT_3_1_1(4, "MQTT"),
    MQTT_5(5, "MQTT");

    private final int level;
    private final String protocolName;

    ProtocolVersion(int level, String protocolName) {
        this.level = level;
        this.protocolName = protocolName;
    }

    /** The Protocol Level byte of CONNECT. */
    public int level() {
        return level;
    }

    /** The Protocol Name string of CONNECT. */
    public String protocolName() {
        return protocolName;
    }

    /** True for MQTT 5.0: properties, reason codes everywhere, no timed resend. */
    public boolean isV5() {
        return this == MQTT_5;
    }

    /** The version for a protocol level byte, or null when the level is unknown. */
    public static ProtocolVersion ofLevel(int level) {
        return switch (level) {
            case 3 -> MQTT_3_1;
            case 4 -> MQTT_3_1_1;
            case 5 -> MQTT_5;
            default -> null;
        };
    }
}
