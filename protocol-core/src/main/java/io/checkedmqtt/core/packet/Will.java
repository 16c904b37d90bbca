package io.checkedmqtt.core.packet;

import java.util.Arrays;
import java.util.Objects;

/**
 * The Will Message a client leaves in CONNECT: published by the server when the connection ends
 * without a normal DISCONNECT. Properties are the 5.0 Will Properties (Will Delay Interval,
 * Message Expiry Interval, Content Type, ...).
 */
public record Will(String topic, byte[] payload, QoS qos, boolean retain, Properties properties) {

    public Will {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
    }

    /** About how many bytes of memory it holds: payload, topic and properties (as {@link Publish#weight}). */
    public long weight() {
        return (long) payload.length + topic.length() + properties.weight();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Will w && topic.equals(w.topic) && Arrays.equals(payload, w.payload)
                && qos == w.qos && retain == w.retain && properties.equals(w.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, properties);
    }

    @Override
    public String toString() {
        return "Will[topic=" + topic + ", " + payload.length + " bytes, " + qos + (retain ? ", retain" : "")
                + ", " + properties + "]";
    }
}
