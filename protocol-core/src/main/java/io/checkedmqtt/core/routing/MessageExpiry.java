package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;

/**
 * 5.0 Message Expiry Interval (section 3.3.2.3.3), with time passed in.
 *
 * <p>A message without the property never expires. One with interval {@code e} seconds,
 * received at {@code r}, has expired at {@code now} when {@code now - r > e * 1000}: from then on
 * it is not delivered to a subscriber that has not started receiving it [MQTT-3.3.2-5]. Before
 * that it is sent with the interval lowered by the whole seconds it waited, rounded so that the
 * client never sees more time than is left [MQTT-3.3.2-6]: {@code ceil((e*1000 - waited) / 1000)}.
 */
public final class MessageExpiry {

    /** The value of an absent Message Expiry Interval: the message does not expire. */
    public static final long NO_EXPIRY = -1;

    private MessageExpiry() {
    }

    /** The Message Expiry Interval in seconds, or {@link #NO_EXPIRY}. */
    public static long intervalSeconds(Publish publish) {
        return publish.properties().integer(PropertyId.MESSAGE_EXPIRY_INTERVAL, NO_EXPIRY);
    }

    /** True when the message has an expiry interval that has passed at {@code nowMillis} [MQTT-3.3.2-5]. */
    public static boolean isExpired(Publish publish, long receivedAtMillis, long nowMillis) {
        long interval = intervalSeconds(publish);
        return interval != NO_EXPIRY && nowMillis - receivedAtMillis > interval * 1000L;
    }

    /**
     * The message as it should go out at {@code nowMillis}: null when it has expired
     * [MQTT-3.3.2-5]; otherwise the message with its Message Expiry Interval set to the seconds
     * left [MQTT-3.3.2-6] (unchanged when it has none).
     */
    public static Publish forDelivery(Publish publish, long receivedAtMillis, long nowMillis) {
        long interval = intervalSeconds(publish);
        if (interval == NO_EXPIRY) {
            return publish;
        }
        long leftMillis = interval * 1000L - Math.max(0, nowMillis - receivedAtMillis);
        if (leftMillis < 0) {
            return null;
        }
        long leftSeconds = (leftMillis + 999) / 1000;
        return leftSeconds == interval
                ? publish
                : publish.withProperties(publish.properties().withInteger(PropertyId.MESSAGE_EXPIRY_INTERVAL,
                        leftSeconds));
    }
}
