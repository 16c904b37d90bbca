package io.checkedmqtt.core.packet;

import java.util.Objects;

/**
 * The options byte of one SUBSCRIBE entry. 3.1.1 has only the maximum QoS; the other options
 * then take the values that give 3.1.1 behaviour (see {@link #of(QoS)}).
 *
 * @param maxQos            the maximum QoS the server may use towards the subscriber
 * @param noLocal           5.0: do not send the client its own messages [MQTT-3.8.3-3]
 * @param retainAsPublished 5.0: keep the RETAIN flag of the original PUBLISH
 * @param retainHandling    5.0: whether retained messages are sent at subscribe time
 */
public record SubscriptionOptions(QoS maxQos, boolean noLocal, boolean retainAsPublished,
                                  RetainHandling retainHandling) {

    public SubscriptionOptions {
        Objects.requireNonNull(maxQos, "maxQos");
        Objects.requireNonNull(retainHandling, "retainHandling");
    }

    /** The options of a 3.1.1 subscription: just a QoS. */
    public static SubscriptionOptions of(QoS maxQos) {
        return new SubscriptionOptions(maxQos, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
    }

    /** 5.0 Retain Handling, bits 4 and 5 of the options byte. */
    public enum RetainHandling {
        /** 0: send retained messages at the time of the subscribe. */
        SEND_ON_SUBSCRIBE,
        /** 1: send them only if the subscription did not exist yet. */
        SEND_IF_NEW_SUBSCRIPTION,
        /** 2: do not send retained messages at subscribe time. */
        DO_NOT_SEND;

        public int value() {
            return ordinal();
        }
    }
}
