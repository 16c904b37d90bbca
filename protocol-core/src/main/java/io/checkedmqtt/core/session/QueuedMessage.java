package io.checkedmqtt.core.session;

import io.checkedmqtt.core.packet.Publish;

/**
 * A message waiting for the client: it is offline, or its in-flight window is full.
 *
 * @param publish         the message at the QoS it will be delivered with; no packet identifier yet
 * @param receivedAtMillis when the server received it: the 5.0 Message Expiry Interval counts
 *                         down from here [v5 MQTT-3.3.2-5, MQTT-3.3.2-6]
 */
public record QueuedMessage(Publish publish, long receivedAtMillis) {

    /** Bytes counted against the queue's byte bound: payload, topic and properties ({@link Publish#weight}). */
    public long weight() {
        return publish.weight();
    }
}
