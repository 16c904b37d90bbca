package io.checkedmqtt.core.packet;

/** Quality of service of one hop: publisher to server, or server to subscriber. */
public enum QoS {
    /** Fire and forget: no acknowledgement, no retry. */
    AT_MOST_ONCE,
    /** PUBLISH / PUBACK: resent until acknowledged, so duplicates are possible. */
    AT_LEAST_ONCE,
    /** PUBLISH / PUBREC / PUBREL / PUBCOMP: handed to the application exactly once. */
    EXACTLY_ONCE;

    /** The two-bit wire value: 0, 1 or 2. */
    public int value() {
        return ordinal();
    }

    /** The QoS for a wire value 0..2; throws for anything else (3 is malformed, callers check first). */
    public static QoS of(int value) {
        return switch (value) {
            case 0 -> AT_MOST_ONCE;
            case 1 -> AT_LEAST_ONCE;
            case 2 -> EXACTLY_ONCE;
            default -> throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + value);
        };
    }

    /** The lower of two QoS levels: what a subscriber receives [MQTT-3.8.4-8 in 3.1.1, MQTT-3.8.4-8 in 5.0]. */
    public QoS min(QoS other) {
        return ordinal() <= other.ordinal() ? this : other;
    }
}
