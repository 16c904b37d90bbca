package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.ClientLimits;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.topic.SharedSubscription;
import io.checkedmqtt.core.topic.TopicFilter;

/**
 * The per-client caps of {@link ClientLimits} as small decisions the broker core asks on its
 * way: may this session hold one more subscription, and is this PUBLISH within the Maximum QoS and
 * the connection's rate.
 */
final class ClientCaps {

    /** One second, in the microseconds the pace is kept in. */
    private static final long SECOND_MICROS = 1_000_000;

    private ClientCaps() {
    }

    /**
     * Why one filter of a SUBSCRIBE is refused before it reaches the router, or null: the ACL
     * does not let the client read what it covers (0x87 Not authorized in 5.0, 0x80 Failure in
     * 3.1.1; Mosquitto 2.0 grants it and filters deliveries, see AccessControlList), or the
     * session is at its subscription cap, or the subscriptions of all sessions at their memory
     * budget (0x97 Quota exceeded, 3.1.1 0x80). Each gets a log line.
     *
     * @param added      filters this SUBSCRIBE granted before this one
     * @param addedBytes their {@linkplain Holdings#subscriptionWeight weight}, not yet in the holdings
     */
    static ReasonCode subscriptionRefusal(BrokerConfig config, StepBuilder out, BrokerState state, Session s,
                                          Subscription sub, int added, long addedBytes) {
        String filter = sub.topicFilter();
        if (TopicFilter.syntaxError(filter, s.version()) != null
                || sub.options().noLocal() && SharedSubscription.isShared(filter)) {
            return null; // a protocol error the router reports, which closes the connection: no code to give
        }
        if (config.authorizer().checksTopics() && !config.authorizer().maySubscribe(state.identity(s.clientId()), filter)) {
            out.effect(new Effect.Notice(s.link().connection(), "SUBSCRIBE to " + filter
                    + " refused: the ACL does not let " + s.clientId() + " read it"));
            return ReasonCode.NOT_AUTHORIZED;
        }
        ReasonCode capped = subscriptionCap(config.limits(), s, filter, added);
        if (capped != null) {
            out.effect(new Effect.Notice(s.link().connection(), "SUBSCRIBE to " + filter + " refused: "
                    + s.clientId() + " holds max_subscriptions_per_client " + config.limits().maxSubscriptionsPerClient()));
            return capped;
        }
        long max = config.budget().maxSubscriptionBytes();
        if (!s.subscriptions().containsKey(filter)
                && state.holdings().subscriptionBytes() + addedBytes + Holdings.subscriptionWeight(filter) > max) {
            out.effect(new Effect.Notice(s.link().connection(), "SUBSCRIBE of " + s.clientId() + " to a filter of "
                    + filter.length() + " bytes refused: the subscriptions of all sessions are at budget_subscription_bytes "
                    + max));
            return ReasonCode.QUOTA_EXCEEDED;
        }
        return null;
    }

    /**
     * Whether a SUBSCRIBE to {@code filter} would take {@code s} past the subscription cap: 5.0
     * answers 0x97 Quota exceeded, 3.1.1 0x80. Replacing a subscription it holds is no more.
     *
     * @param added filters this SUBSCRIBE granted before this one
     */
    private static ReasonCode subscriptionCap(ClientLimits limits, Session s, String filter, int added) {
        int cap = limits.maxSubscriptionsPerClient();
        if (cap == 0 || s.subscriptions().containsKey(filter) || s.subscriptions().size() + added < cap) {
            return null;
        }
        return ReasonCode.QUOTA_EXCEEDED;
    }

    /**
     * What a PUBLISH may do to the connection: a refusal (with the reason the client is told
     * before the close) or, under a rate cap, the connection's next pace.
     *
     * @param refusal    0x9B QoS not supported or 0x96 Message rate too high; null to go on
     * @param nextMicros the pace to keep, or -1 when there is no rate cap
     */
    record Pace(ReasonCode refusal, String detail, long nextMicros) {
    }

    /**
     * Checks one inbound PUBLISH: above {@code maximumQos} gets 0x9B (v5 section 3.3.1.2: the
     * client was told the Maximum QoS), faster than {@code maxPublishesPerSecond} gets 0x96.
     */
    static Pace admit(ClientLimits limits, Publish publish, Long pace, long nowMillis) {
        if (publish.qos().value() > limits.maximumQos().value()) {
            return new Pace(ReasonCode.QOS_NOT_SUPPORTED, "PUBLISH QoS " + publish.qos().value() + " above max_qos "
                    + limits.maximumQos().value(), -1);
        }
        if (limits.maxPublishesPerSecond() == 0) {
            return new Pace(null, null, -1);
        }
        long next = nextPace(limits, pace, nowMillis);
        return next < 0 ? new Pace(ReasonCode.MESSAGE_RATE_TOO_HIGH, "more than " + limits.maxPublishesPerSecond()
                + " PUBLISH per second", -1) : new Pace(null, null, next);
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
    private static long nextPace(ClientLimits limits, Long pace, long nowMillis) {
        long now = nowMillis * 1_000;
        long interval = SECOND_MICROS / limits.maxPublishesPerSecond();
        long next = Math.max(pace == null ? now : pace, now) + interval;
        return next - now > SECOND_MICROS ? -1 : next;
    }
}
