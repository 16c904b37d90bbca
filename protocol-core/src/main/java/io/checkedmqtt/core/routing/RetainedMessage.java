package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Publish;

import java.util.Objects;

/**
 * A retained message as stored: the PUBLISH (packet id 0, DUP 0, RETAIN 1, no Topic Alias) and
 * when the server received it, which 5.0 Message Expiry needs [MQTT-3.3.2-5, MQTT-3.3.2-6].
 */
public record RetainedMessage(Publish publish, long receivedAtMillis) {

    public RetainedMessage {
        Objects.requireNonNull(publish, "publish");
    }
}
