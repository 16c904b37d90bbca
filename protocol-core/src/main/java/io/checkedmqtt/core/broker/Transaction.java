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
 * One broker transition in progress: the state so far and the effects so far. It lives inside
 * one call of {@link BrokerCore} and is never shared, so the call stays a pure function; it
 * applies session steps to the broker state and carries out the session signals (routing,
 * wills, session ends) that only the broker can.
 */
final class Transaction {

    private final SessionTransitions sessions;
    private final long now;
    private BrokerState state;
    private final List<Effect> effects = new ArrayList<>(4);

    Transaction(SessionTransitions sessions, BrokerState state, long now) {
        this.sessions = sessions;
        this.state = state;
        this.now = now;
    }

    BrokerState state() {
        return state;
    }

    void state(BrokerState next) {
        state = next;
    }

    void effect(Effect e) {
        effects.add(e);
    }

    Step step() {
        return new Step(state, effects);
    }

    /**
     * Store the session a step produced, pass its effects on, forget the connection it left, and
     * carry out its signals in order.
     *
     * @param before the session the step started from (null for a brand-new one)
     */
    void apply(String clientId, Session before, SessionStep step) {
        Session after = step.session();
        state = state.withSession(clientId, after);
        if (before != null && before.isOnline() && (after == null || after.link() == null
                || !after.link().connection().equals(before.link().connection()))) {
            state = state.withConnection(before.link().connection(), null);
        }
        effects.addAll(step.effects());
        for (SessionEffect signal : step.signals()) {
            if (signal instanceof SessionEffect.RouteMessage r) {
                route(r.publish(), r.publisherClientId());
            } else if (signal instanceof SessionEffect.PublishWill w) {
                route(willMessage(w.will()), w.clientId());
            } else if (signal instanceof SessionEffect.DiscardSession d) {
                if (before != null && !before.subscriptions().isEmpty()) {
                    state = state.withRouter(state.router().removeClient(d.clientId(),
                            before.subscriptions().keySet()));
                }
            }
            // PersistSession: no persistence layer yet.
        }
    }

    /** Hand a message to the router and every delivery to its session [MQTT-4.5.0-1]. */
    void route(Publish publish, String publisherClientId) {
        BrokerState current = state;
        Router.RouteResult result = current.router().route(publish, publisherClientId, now, current::isConnected);
        state = current.withRouter(result.router());
        for (Delivery d : result.deliveries()) {
            deliver(d);
        }
    }

    void deliver(Delivery d) {
        Session target = state.session(d.clientId());
        if (target == null) {
            return;
        }
        apply(d.clientId(), target, sessions.onDeliver(target, d, now));
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
