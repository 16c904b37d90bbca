package io.checkedmqtt.core.config;

import java.util.Locale;

/**
 * The named client probes (README, "Probes"): each one makes the broker misbehave in one
 * well-defined way towards a client and then judges what the client does about it.
 */
public enum ProbeKind {

    /**
     * The PUBACK of a QoS 1 PUBLISH from the client is not delivered; the client must send the
     * message again with DUP 1 and the same packet identifier: inside the connection (3.1.1
     * allows it, 5.0 forbids it) or, after the broker cuts the connection, on reconnect
     * [MQTT-4.4.0-1, MQTT-3.3.1-1].
     */
    QOS1_RETRY("qos1-retry"),

    /**
     * The connection is cut right after the PUBREC for a QoS 2 PUBLISH from the client; on
     * reconnect the client must send PUBREL for it (or the PUBLISH again with DUP 1 if the PUBREC
     * never reached it) [MQTT-4.4.0-1].
     */
    QOS2_CUT("qos2-cut"),

    /**
     * The connection is cut right after the client's PUBREC for a QoS 2 PUBLISH the broker sent,
     * before the broker's PUBREL goes out; on reconnect the broker sends the PUBREL again, and the
     * client, which has not seen it yet, must still know the message: PUBCOMP, in 5.0 not with
     * 0x92 Packet Identifier not found, which would mean it forgot the identifier and would hand
     * a resent PUBLISH on twice [v5 MQTT-4.3.3-10; MQTT-4.4.0-1].
     */
    QOS2_RECEIVE_CUT("qos2-receive-cut"),

    /**
     * The connection is cut right after a SUBACK that granted QoS 1 or 2; while the client is
     * away the broker queues one message for its subscription; on reconnect with its session the
     * client must acknowledge it [MQTT-4.5.0-2].
     */
    OFFLINE_QUEUE("offline-queue");

    private final String label;

    ProbeKind(String label) {
        this.label = label;
    }

    /** The name used in the config file, on the command line and in reports. */
    public String label() {
        return label;
    }

    /** The probe called {@code label} (with or without a {@code probe.} prefix), or null. */
    public static ProbeKind named(String label) {
        String name = label.toLowerCase(Locale.ROOT);
        if (name.startsWith("probe.")) {
            name = name.substring("probe.".length());
        }
        for (ProbeKind kind : values()) {
            if (kind.label.equals(name)) {
                return kind;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return label;
    }
}
