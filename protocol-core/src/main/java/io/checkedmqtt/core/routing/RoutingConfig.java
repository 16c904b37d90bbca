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
 */
public record RoutingConfig(QoS maximumQos, boolean retainAvailable, boolean wildcardSubscriptionsAvailable,
                            boolean subscriptionIdentifiersAvailable, boolean sharedSubscriptionsAvailable) {

    public RoutingConfig {
        Objects.requireNonNull(maximumQos, "maximumQos");
    }

    /** Everything on, QoS up to 2. */
    public static RoutingConfig defaults() {
        return new RoutingConfig(QoS.EXACTLY_ONCE, true, true, true, true);
    }
}
