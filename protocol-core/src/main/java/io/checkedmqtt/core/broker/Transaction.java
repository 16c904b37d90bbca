package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
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
                Router.RouteResult result = next.router().route(r.publish(), r.publisherClientId(), now,
                        next::isConnected);
                next = next.withRouter(result.router());
                for (Delivery d : result.deliveries()) {
                    next = deliver(next, d);
                }
                if (result.deliveries().isEmpty() && before != null && before.isOnline()
                        && before.version().isV5() && r.publish().qos() != QoS.AT_MOST_ONCE) {
                    noMatchingSubscribers(before.link().connection(), r.publish().packetId());
                }
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

    /**
     * 5.0: nobody subscribed to what the client just published, so its PUBACK / PUBREC says
     * 0x10 No matching subscribers instead of 0x00; the message still counts as accepted
     * [v5 section 3.4.2.1, 3.5.2.1]. The acknowledgement is already among the effects (the
     * session answers before the broker routes), so it is replaced there.
     */
    private void noMatchingSubscribers(ConnectionId publisher, int packetId) {
        for (int i = effects.size() - 1; i >= 0; i--) {
            if (effects.get(i) instanceof Effect.Send send && send.connection().equals(publisher)) {
                Packet ack = send.packet();
                if (ack instanceof PubAck a && a.packetId() == packetId && a.reasonCode() == ReasonCode.SUCCESS) {
                    effects.set(i, new Effect.Send(publisher,
                            new PubAck(packetId, ReasonCode.NO_MATCHING_SUBSCRIBERS, a.properties())));
                    return;
                }
                if (ack instanceof PubRec rec && rec.packetId() == packetId && rec.reasonCode() == ReasonCode.SUCCESS) {
                    effects.set(i, new Effect.Send(publisher,
                            new PubRec(packetId, ReasonCode.NO_MATCHING_SUBSCRIBERS, rec.properties())));
                    return;
                }
            }
        }
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
