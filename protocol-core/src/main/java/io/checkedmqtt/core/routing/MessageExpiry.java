package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;

/**
 * 5.0 Message Expiry Interval (section 3.3.2.3.3), with time passed in.
 *
 * <p>A message without the property never expires. One with interval {@code e} seconds,
 * received at {@code r}, has expired at {@code now} when {@code now - r > e * 1000}: from then on
 * it is not delivered to a subscriber that has not started receiving it [MQTT-3.3.2-5]. Before
 * that it is sent with the interval lowered by the time it waited [MQTT-3.3.2-6], in whole
 * seconds rounded down, so that the client is never told more time than is left:
 * {@code floor((e*1000 - waited) / 1000)}, which is 0 in the last second.
 *
 * <p>A copy that has started onward delivery (sent once, not yet acknowledged) is not deleted when
 * the interval passes: [MQTT-3.3.2-5] allows deleting only a copy whose delivery has not started,
 * and [MQTT-4.4.0-1] makes the server resend it on reconnect. {@link #forResend} gives that resend
 * the seconds left, 0 once none are.
 */
public final class MessageExpiry {

    /** The value of an absent Message Expiry Interval: the message does not expire. */
    public static final long NO_EXPIRY = -1;

    /** The expiry time of a message that never expires ({@link #expiresAt}). */
    public static final long NEVER = Long.MAX_VALUE;

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
        return withInterval(publish, interval, leftMillis / 1000);
    }

    /** When the message expires, in the time of {@code receivedAtMillis}; {@link #NEVER} without an interval. */
    public static long expiresAt(Publish publish, long receivedAtMillis) {
        long interval = intervalSeconds(publish);
        return interval == NO_EXPIRY ? NEVER : receivedAtMillis + interval * 1000L;
    }

    /**
     * A copy already sent once, as it goes out again at {@code nowMillis}: its Message Expiry
     * Interval set to the whole seconds left until {@code expiresAtMillis} [MQTT-3.3.2-6], 0 once
     * that has passed; never the interval of its first send, which would be more than is left.
     * Unchanged when it has no interval.
     */
    public static Publish forResend(Publish sent, long expiresAtMillis, long nowMillis) {
        long interval = intervalSeconds(sent);
        if (interval == NO_EXPIRY || expiresAtMillis == NEVER) {
            return sent;
        }
        return withInterval(sent, interval, Math.max(0, expiresAtMillis - nowMillis) / 1000);
    }

    private static Publish withInterval(Publish publish, long current, long seconds) {
        return seconds == current ? publish
                : publish.withProperties(publish.properties().withInteger(PropertyId.MESSAGE_EXPIRY_INTERVAL, seconds));
    }
}
