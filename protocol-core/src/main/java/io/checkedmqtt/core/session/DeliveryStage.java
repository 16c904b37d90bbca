package io.checkedmqtt.core.session;

/**
 * Where one outbound QoS 1 or 2 message stands in its handshake with the client. The names follow
 * Mosquitto's {@code mosq_ms_wait_for_puback / wait_for_pubrec / wait_for_pubcomp}.
 */
public enum DeliveryStage {
    /** QoS 1 PUBLISH sent; it stays unacknowledged until PUBACK [v5 MQTT-4.3.2-3, v3.1.1 MQTT-4.3.2-1]. */
    AWAITING_PUBACK,
    /** QoS 2 PUBLISH sent; it stays unacknowledged until PUBREC [v5 MQTT-4.3.3-3, v3.1.1 MQTT-4.3.3-1]. */
    AWAITING_PUBREC,
    /** PUBREL sent; the PUBLISH is never sent again, PUBREL is until PUBCOMP [v5 MQTT-4.3.3-5, -6]. */
    AWAITING_PUBCOMP
}
