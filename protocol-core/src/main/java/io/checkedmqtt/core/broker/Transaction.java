package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.core.routing.Delivery;
import io.checkedmqtt.core.routing.Router;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.session.SessionEffect;
import io.checkedmqtt.core.session.SessionStep;
import io.checkedmqtt.core.session.SessionTransitions;

import java.util.ArrayList;
import java.util.List;

/**
 * The effects of one broker transition in progress. It lives inside one call of
 * {@link BrokerCore} and is never shared, so the call stays a pure function. The broker state is
 * threaded through its methods: each takes a state and returns the next. It applies session steps
 * to the broker state and carries out the session signals (routing, wills, session ends) that
 * only the broker can.
 */
final class Transaction {

    private final SessionTransitions sessions;
    private final long now;
    private final List<Effect> effects = new ArrayList<>(4);

    Transaction(SessionTransitions sessions, long now) {
        this.sessions = sessions;
        this.now = now;
    }

    void effect(Effect e) {
        effects.add(e);
    }

    Step step(BrokerState state) {
        return new Step(state, effects);
    }

    /**
     * Store the session a step produced, pass its effects on, forget the connection it left, and
     * carry out its signals in order.
     *
     * @param before the session the step started from (null for a brand-new one)
     * @return the broker state after all of it
     */
    BrokerState apply(BrokerState state, String clientId, Session before, SessionStep step) {
        Session after = step.session();
        BrokerState next = state.withSession(clientId, after);
        if (before != null && before.isOnline() && (after == null || after.link() == null
                || !after.link().connection().equals(before.link().connection()))) {
            next = next.withConnection(before.link().connection(), null);
        }
        effects.addAll(step.effects());
        for (SessionEffect signal : step.signals()) {
            if (signal instanceof SessionEffect.RouteMessage r) {
                next = route(next, r.publish(), r.publisherClientId());
            } else if (signal instanceof SessionEffect.PublishWill w) {
                next = route(next, willMessage(w.will()), w.clientId());
            } else if (signal instanceof SessionEffect.DiscardSession d) {
                if (before != null && !before.subscriptions().isEmpty()) {
                    next = next.withRouter(next.router().removeClient(d.clientId(), before.subscriptions().keySet()));
                }
            }
            // PersistSession: no persistence layer yet.
        }
        return next;
    }

    /** Hand a message to the router and every delivery to its session [MQTT-4.5.0-1]. */
    BrokerState route(BrokerState state, Publish publish, String publisherClientId) {
        Router.RouteResult result = state.router().route(publish, publisherClientId, now, state::isConnected);
        BrokerState next = state.withRouter(result.router());
        for (Delivery d : result.deliveries()) {
            next = deliver(next, d);
        }
        return next;
    }

    BrokerState deliver(BrokerState state, Delivery d) {
        Session target = state.session(d.clientId());
        if (target == null) {
            return state;
        }
        return apply(state, d.clientId(), target, sessions.onDeliver(target, d, now));
    }

    /**
     * The Will Message as a PUBLISH from its client: its retain flag kept [v3.1.1 MQTT-3.1.2-16,
     * -17; v5 MQTT-3.1.2-14, -15], its properties in order [v5 MQTT-3.1.3-10] without the Will
     * Delay Interval, which is no PUBLISH property.
     */
    static Publish willMessage(Will will) {
        return new Publish(will.topic(), will.payload(), will.qos(), will.retain(), false, 0,
                will.properties().without(PropertyId.WILL_DELAY_INTERVAL));
    }
}
