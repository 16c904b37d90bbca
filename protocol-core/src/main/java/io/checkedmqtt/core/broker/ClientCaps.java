package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.ClientLimits;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.session.Session;

/**
 * The per-client caps of {@link ClientLimits} as two small decisions the broker core asks on its
 * way: may this session hold one more subscription, and is this PUBLISH within the connection's
 * rate.
 */
final class ClientCaps {

    /** One second, in the microseconds the pace is kept in. */
    private static final long SECOND_MICROS = 1_000_000;

    private ClientCaps() {
    }

    /**
     * Whether a SUBSCRIBE to {@code filter} would take {@code s} past the subscription cap: 5.0
     * answers 0x97 Quota exceeded, 3.1.1 0x80. Replacing a subscription it holds is no more.
     *
     * @param added filters this SUBSCRIBE granted before this one
     */
    static ReasonCode subscriptionRefusal(ClientLimits limits, Session s, String filter, int added) {
        int cap = limits.maxSubscriptionsPerClient();
        if (cap == 0 || s.subscriptions().containsKey(filter) || s.subscriptions().size() + added < cap) {
            return null;
        }
        return ReasonCode.QUOTA_EXCEEDED;
    }

    /**
     * The pace after one more PUBLISH at {@code nowMillis}, or -1 when it comes too fast. The
     * generic cell rate algorithm: each PUBLISH moves a theoretical arrival time one interval
     * ({@code 1 s / maxPublishesPerSecond}) on; one that would put it more than a second ahead
     * of now is over the rate. So a connection may send a second's worth at once, and then
     * {@code maxPublishesPerSecond} per second.
     *
     * @param pace the theoretical arrival time so far (microseconds), or null for the first PUBLISH
     */
    static long nextPace(ClientLimits limits, Long pace, long nowMillis) {
        long now = nowMillis * 1_000;
        long interval = SECOND_MICROS / limits.maxPublishesPerSecond();
        long next = Math.max(pace == null ? now : pace, now) + interval;
        return next - now > SECOND_MICROS ? -1 : next;
    }
}
