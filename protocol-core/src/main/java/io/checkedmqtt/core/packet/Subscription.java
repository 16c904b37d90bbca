package io.checkedmqtt.core.packet;

import java.util.Objects;

/** One entry of a SUBSCRIBE payload: a Topic Filter and its options. */
public record Subscription(String topicFilter, SubscriptionOptions options) {

    public Subscription {
        Objects.requireNonNull(topicFilter, "topicFilter");
        Objects.requireNonNull(options, "options");
    }
}
