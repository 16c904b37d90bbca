package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Publish;

import java.util.Objects;

/**
 * One message for one client's session, as decided by the {@link Router}.
 *
 * <p>The PUBLISH is ready for that client except for what belongs to the session and the
 * connection: packet id is 0 (the session assigns one for QoS 1/2), DUP is 0 [MQTT-3.3.1-3], no
 * Topic Alias (see {@link OutboundTopicAliases}), and the Message Expiry Interval is still the one
 * received (lower it when sending: {@link MessageExpiry#forDelivery} with {@code receivedAtMillis}).
 * QoS is already {@code min(published QoS, granted QoS)}; RETAIN is already set per the rules
 * and Subscription Identifiers are attached.
 *
 * @param clientId         the receiving client
 * @param publish          the message as the client should get it
 * @param receivedAtMillis when the server received the message (for Message Expiry)
 */
public record Delivery(String clientId, Publish publish, long receivedAtMillis) {

    public Delivery {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(publish, "publish");
    }
}
