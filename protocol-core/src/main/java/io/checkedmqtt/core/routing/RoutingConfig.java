package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.QoS;

import java.util.Objects;

/**
 * What the router offers. The session layer advertises the same values in the 5.0 CONNACK
 * (Maximum QoS, Retain Available, Wildcard / Subscription Identifier / Shared Subscription
 * Available) so clients know them in advance.
 *
 * @param maximumQos                       the highest QoS granted; a SUBSCRIBE asking more gets this
 * @param retainAvailable                  retained messages are stored and sent
 * @param wildcardSubscriptionsAvailable   filters with {@code +} or {@code #} are accepted (else 0xA2)
 * @param subscriptionIdentifiersAvailable 5.0 Subscription Identifiers are accepted (else 0xA1)
 * @param sharedSubscriptionsAvailable     {@code $share/...} filters are accepted (else 0x9E)
 * @param maxTopicLevels                   most levels a filter may have (of a shared one, the filter after the
 *                                         share name); deeper ones are refused with 0x8F. 0: no cap
 */
public record RoutingConfig(QoS maximumQos, boolean retainAvailable, boolean wildcardSubscriptionsAvailable,
                            boolean subscriptionIdentifiersAvailable, boolean sharedSubscriptionsAvailable,
                            int maxTopicLevels) {

    public RoutingConfig {
        Objects.requireNonNull(maximumQos, "maximumQos");
        if (maxTopicLevels < 0) {
            throw new IllegalArgumentException("maxTopicLevels must not be negative (0 means no cap)");
        }
    }

    /** These features, with no cap on topic levels. */
    public RoutingConfig(QoS maximumQos, boolean retainAvailable, boolean wildcardSubscriptionsAvailable,
                         boolean subscriptionIdentifiersAvailable, boolean sharedSubscriptionsAvailable) {
        this(maximumQos, retainAvailable, wildcardSubscriptionsAvailable, subscriptionIdentifiersAvailable,
                sharedSubscriptionsAvailable, 0);
    }

    /** Everything on, QoS up to 2. */
    public static RoutingConfig defaults() {
        return new RoutingConfig(QoS.EXACTLY_ONCE, true, true, true, true);
    }
}
