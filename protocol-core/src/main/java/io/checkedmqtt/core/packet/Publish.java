package io.checkedmqtt.core.packet;

import java.util.Arrays;
import java.util.Objects;

/**
 * PUBLISH: an application message on one hop.
 *
 * @param topic      the Topic Name; empty only in 5.0 when a Topic Alias stands for it
 * @param payload    the Application Message; shared and read-only
 * @param qos        the QoS of this hop
 * @param retain     the RETAIN flag
 * @param dup        the DUP flag: this may be a re-delivery [MQTT-3.3.1-1]
 * @param packetId   1..65535 for QoS 1 and 2; 0 for QoS 0, which has none
 * @param properties 5.0 PUBLISH properties; empty for 3.1.1
 */
public record Publish(String topic, byte[] payload, QoS qos, boolean retain, boolean dup, int packetId,
                      Properties properties) implements Packet {

    public Publish {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    /**
     * About how many bytes of memory the message holds beyond a fixed overhead: payload, topic
     * (one byte per character) and properties ({@link Properties#weight}). What the memory
     * budgets count for a queued or retained message.
     */
    public long weight() {
        return (long) payload.length + topic.length() + properties.weight();
    }

    /** This PUBLISH for another hop: a new QoS and packet identifier, DUP cleared. */
    public Publish forHop(QoS newQos, int newPacketId) {
        // unchanged, the same object: a QoS 0 fan-out then hands every subscriber one packet,
        // which the shell encodes once
        return qos == newQos && packetId == newPacketId && !dup ? this
                : new Publish(topic, payload, newQos, retain, false, newPacketId, properties);
    }

    /** This PUBLISH marked as a re-delivery, same packet identifier [MQTT-4.4.0-1 in 3.1.1, MQTT-4.4.0-1 in 5.0]. */
    public Publish asDuplicate() {
        return dup ? this : new Publish(topic, payload, qos, retain, true, packetId, properties);
    }

    public Publish withRetain(boolean newRetain) {
        return retain == newRetain ? this : new Publish(topic, payload, qos, newRetain, dup, packetId, properties);
    }

    public Publish withProperties(Properties newProperties) {
        return new Publish(topic, payload, qos, retain, dup, packetId, newProperties);
    }

    public Publish withTopic(String newTopic) {
        return new Publish(newTopic, payload, qos, retain, dup, packetId, properties);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Publish p && topic.equals(p.topic) && Arrays.equals(payload, p.payload)
                && qos == p.qos && retain == p.retain && dup == p.dup && packetId == p.packetId
                && properties.equals(p.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, dup, packetId, properties);
    }

    @Override
    public String toString() {
        return "Publish[" + topic + ", " + payload.length + " bytes, " + qos + ", id=" + packetId
                + (retain ? ", retain" : "") + (dup ? ", dup" : "") + (properties.isEmpty() ? "" : ", " + properties)
                + "]";
    }
}
