package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.core.routing.RetainedMessage;
import io.checkedmqtt.core.routing.RetainedMessages;
import io.checkedmqtt.core.routing.Subscriber;
import io.checkedmqtt.core.session.DeliveryStage;
import io.checkedmqtt.core.session.InflightMessage;
import io.checkedmqtt.core.session.QueuedMessage;
import io.checkedmqtt.core.session.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The durable view of a broker state, as one comparable value: what a restart must bring back
 * (DurableRecord's class comment), and nothing else. Two states with equal views are the same
 * broker to every client after a restart. The tests compare the view of a live state with the
 * view of what its records replay to.
 *
 * @param sessions the kept sessions by client identifier
 * @param retained the retained messages by topic
 */
record DurableView(Map<String, SessionView> sessions, Map<String, RetainedMessage> retained) {

    /** One kept session as a restart sees it. */
    record SessionView(ProtocolVersion version, long expirySeconds, Will will, long disconnectedAtMillis,
                       Map<String, SubscriptionView> subscriptions, List<InflightView> inflight,
                       List<QueuedMessage> queue, List<Integer> awaitingPubRel) {
    }

    record SubscriptionView(SubscriptionOptions options, int subscriptionId) {
    }

    record InflightView(Publish publish, DeliveryStage stage, long expiresAtMillis) {
    }

    /**
     * The view of {@code state} if the broker stopped at {@code stoppedAtMillis}: a session whose
     * client is connected counts as disconnected then.
     */
    static DurableView of(BrokerState state, long stoppedAtMillis) {
        Map<String, SessionView> sessions = new TreeMap<>();
        for (Session s : state.sessions().values()) {
            if (s.endsWithConnection()) {
                continue;
            }
            Map<String, SubscriptionView> subscriptions = new HashMap<>();
            for (Map.Entry<String, SubscriptionOptions> e : s.subscriptions().entrySet()) {
                Subscriber held = state.router().index().get(s.clientId(), e.getKey());
                subscriptions.put(e.getKey(), new SubscriptionView(e.getValue(),
                        held == null ? -1 : held.subscriptionId()));
            }
            List<InflightView> inflight = new ArrayList<>();
            for (InflightMessage m : s.inflight()) {
                inflight.add(new InflightView(m.publish(), m.stage(), m.expiresAtMillis()));
            }
            List<Integer> ids = new ArrayList<>();
            for (int id : s.awaitingPubRel().toArray()) {
                ids.add(id);
            }
            sessions.put(s.clientId(), new SessionView(s.version(), s.expirySeconds(), s.will(),
                    s.isOnline() ? stoppedAtMillis : s.disconnectedAtMillis(), subscriptions, inflight,
                    s.queue().toList(), ids));
        }
        Map<String, RetainedMessage> retained = new TreeMap<>();
        state.router().retained().changesSince(RetainedMessages.empty(),
                (was, now) -> retained.put(now.publish().topic(), now));
        return new DurableView(sessions, retained);
    }
}
