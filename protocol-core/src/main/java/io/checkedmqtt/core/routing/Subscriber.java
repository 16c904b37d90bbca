package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.SubscriptionOptions;

import java.util.Objects;

/**
 * One subscription held in the {@link SubscriptionIndex}: who subscribed, to what, with which
 * options. {@link SubscriptionIndex#match} returns these.
 *
 * @param clientId       the subscribing client's identifier
 * @param topicFilter    the filter exactly as subscribed, {@code $share/group/} prefix included;
 *                       UNSUBSCRIBE compares with it character by character [MQTT-3.10.4-1]
 * @param shareGroup     the ShareName of a Shared Subscription, null for an ordinary one
 * @param options        the options, with {@code maxQos} the QoS the server granted
 * @param subscriptionId the 5.0 Subscription Identifier (1..268,435,455), 0 when none
 */
public record Subscriber(String clientId, String topicFilter, String shareGroup, SubscriptionOptions options,
                         int subscriptionId) {

    public Subscriber {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(topicFilter, "topicFilter");
        Objects.requireNonNull(options, "options");
        if (subscriptionId < 0) {
            throw new IllegalArgumentException("subscription identifier must not be negative: " + subscriptionId);
        }
    }

    /** True for a Shared Subscription. */
    public boolean isShared() {
        return shareGroup != null;
    }
}
