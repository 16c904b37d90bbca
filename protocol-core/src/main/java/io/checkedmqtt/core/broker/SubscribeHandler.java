package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.core.routing.Delivery;
import io.checkedmqtt.core.routing.Router;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionTransitions;
import io.checkedmqtt.core.topic.TopicFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE and UNSUBSCRIBE from a connected client: each filter through the router, then the
 * session's answer (SUBACK, UNSUBACK), then the retained messages a subscription brings.
 */
final class SubscribeHandler {

    private final BrokerConfig config;
    private final SessionTransitions sessions;

    SubscribeHandler(BrokerConfig config, SessionTransitions sessions) {
        this.config = config;
        this.sessions = sessions;
    }

    /**
     * SUBSCRIBE: each filter through the router in order, as if separate SUBSCRIBEs
     * [v3.1.1 MQTT-3.8.4-4; v5 MQTT-3.8.4-5], then one SUBACK, then the retained messages.
     */
    BrokerState subscribe(StepBuilder out, BrokerState state, String clientId, Session s, Subscribe subscribe,
                                  long now) {
        if (subscribe.subscriptions().isEmpty()) {
            // [v3.1.1 MQTT-3.8.3-3; v5 MQTT-3.8.3-2]
            return out.apply(state, clientId, s,
                    sessions.onProtocolViolation(s, ReasonCode.PROTOCOL_ERROR, "SUBSCRIBE without filters", now));
        }
        int subscriptionId = (int) subscribe.properties().integer(PropertyId.SUBSCRIPTION_IDENTIFIER, 0);
        Router router = state.router();
        List<ReasonCode> codes = new ArrayList<>(subscribe.subscriptions().size());
        List<Delivery> retained = new ArrayList<>();
        int added = 0;
        long addedBytes = 0;
        for (Subscription sub : subscribe.subscriptions()) {
            ReasonCode refused = ClientCaps.subscriptionRefusal(config, out, state, s, sub, added, addedBytes);
            if (refused != null) {
                codes.add(refused); // 3.1.1 SUBACK says 0x80 for any failure
                continue;
            }
            added++;
            addedBytes += Holdings.subscriptionWeight(sub.topicFilter());
            Router.SubscribeOutcome outcome = router.subscribe(clientId, s.version(), sub, subscriptionId, now);
            if (outcome.reasonCode() == ReasonCode.PROTOCOL_ERROR
                    || outcome.reasonCode() == ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED) {
                // A malformed filter [v5 MQTT-4.13.1-1; v3.1.1 MQTT-4.8.0-1] or No Local on a shared
                // subscription [v5 MQTT-3.8.3-4]: the whole packet is refused and the connection closed.
                String malformed = TopicFilter.syntaxError(sub.topicFilter(), s.version());
                return out.apply(state, clientId, s, sessions.onProtocolViolation(s, outcome.reasonCode(),
                        malformed != null ? "SUBSCRIBE: " + malformed : "refused subscription " + sub.topicFilter(),
                        now));
            }
            router = outcome.router();
            codes.add(outcome.reasonCode());
            retained.addAll(outcome.retainedMessages());
        }
        if (s.version() == ProtocolVersion.MQTT_3_1 && codes.stream().anyMatch(ReasonCode::isError)) {
            // A 3.1 SUBACK holds granted QoS levels only (3.1 section 3.9): no value says "refused",
            // and granting a QoS would claim a subscription that does not exist. Closing the
            // connection is the one answer 3.1 has; nothing of this SUBSCRIBE is kept.
            return out.apply(state, clientId, s, sessions.onProtocolViolation(s, ReasonCode.UNSPECIFIED_ERROR,
                    "SUBSCRIBE refused, and a 3.1 SUBACK cannot say so", now));
        }
        BrokerState next = out.apply(state.withRouter(router), clientId, s, sessions.onSubscribe(s, subscribe, codes, now));
        for (Delivery d : retained) {
            next = out.deliver(next, d);
        }
        return next;
    }

    BrokerState unsubscribe(StepBuilder out, BrokerState state, String clientId, Session s,
                                    Unsubscribe unsubscribe, long now) {
        if (unsubscribe.topicFilters().isEmpty()) {
            // [v3.1.1 MQTT-3.10.3-2; v5 MQTT-3.10.3-2]
            return out.apply(state, clientId, s,
                    sessions.onProtocolViolation(s, ReasonCode.PROTOCOL_ERROR, "UNSUBSCRIBE without filters", now));
        }
        Router router = state.router();
        List<ReasonCode> codes = new ArrayList<>(unsubscribe.topicFilters().size());
        for (String filter : unsubscribe.topicFilters()) {
            Router.UnsubscribeOutcome outcome = router.unsubscribe(clientId, s.version(), filter);
            if (outcome.reasonCode() == ReasonCode.PROTOCOL_ERROR) {
                // A malformed filter [v5 MQTT-4.13.1-1; v3.1.1 MQTT-4.8.0-1]: the whole packet is refused.
                return out.apply(state, clientId, s, sessions.onProtocolViolation(s, ReasonCode.PROTOCOL_ERROR,
                        "UNSUBSCRIBE: " + TopicFilter.syntaxError(filter, s.version()), now));
            }
            router = outcome.router();
            codes.add(outcome.reasonCode());
        }
        return out.apply(state.withRouter(router), clientId, s, sessions.onUnsubscribe(s, unsubscribe, codes, now));
    }
}
