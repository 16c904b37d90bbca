package io.checkedmqtt.model;

import io.checkedmqtt.core.broker.Step;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.session.InflightWindow;
import io.checkedmqtt.core.session.Session;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link BrokenCore} does to the packets a resumed session's CONNECT makes the core send:
 * the resends (PUBLISH with DUP 1, PUBREL) and the new sends from the queue (PUBLISH with DUP 0,
 * QoS 1 or 2) on the new connection. Each method returns the real step's effects rearranged or
 * thinned; {@link #undrained} also puts the core's state back as if it had sent nothing new.
 */
final class ConnectSends {

    private ConnectSends() {
    }

    static boolean isResend(Packet p) {
        return p instanceof PubRel || p instanceof Publish pub && pub.dup() && pub.qos() != QoS.AT_MOST_ONCE;
    }

    static boolean isNewSend(Packet p) {
        return p instanceof Publish pub && !pub.dup() && pub.qos() != QoS.AT_MOST_ONCE;
    }

    private static Packet sentOn(Effect e, ConnectionId connection) {
        return e instanceof Effect.Send s && s.connection().equals(connection) ? s.packet() : null;
    }

    /** No resend at all. */
    static List<Effect> withoutResends(List<Effect> effects, ConnectionId connection) {
        List<Effect> out = new ArrayList<>(effects.size());
        for (Effect e : effects) {
            Packet p = sentOn(e, connection);
            if (p == null || !isResend(p)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The resends in reverse send order, in the places the real ones had. */
    static List<Effect> resendsReversed(List<Effect> effects, ConnectionId connection) {
        List<Integer> places = new ArrayList<>();
        for (int i = 0; i < effects.size(); i++) {
            Packet p = sentOn(effects.get(i), connection);
            if (p != null && isResend(p)) {
                places.add(i);
            }
        }
        List<Effect> out = new ArrayList<>(effects);
        for (int k = 0; k < places.size(); k++) {
            out.set(places.get(k), effects.get(places.get(places.size() - 1 - k)));
        }
        return out;
    }

    /** The new sends first, then the resends, in the places the real ones had. */
    static List<Effect> newFirst(List<Effect> effects, ConnectionId connection) {
        List<Integer> places = new ArrayList<>();
        List<Effect> news = new ArrayList<>();
        List<Effect> resends = new ArrayList<>();
        for (int i = 0; i < effects.size(); i++) {
            Packet p = sentOn(effects.get(i), connection);
            if (p != null && (isResend(p) || isNewSend(p))) {
                places.add(i);
                (isResend(p) ? resends : news).add(effects.get(i));
            }
        }
        List<Effect> order = new ArrayList<>(news);
        order.addAll(resends);
        List<Effect> out = new ArrayList<>(effects);
        for (int k = 0; k < places.size(); k++) {
            out.set(places.get(k), order.get(k));
        }
        return out;
    }

    /**
     * The step as if the CONNECT had sent nothing new from the queue: those PUBLISHes are not
     * sent, and the session keeps them queued (its queue as it was before the CONNECT) instead
     * of in flight. State and packets agree with each other; only the send is missing.
     */
    static Step undrained(Step step, ConnectionId connection, String clientId, Session before) {
        Session after = step.state().session(clientId);
        List<Effect> effects = new ArrayList<>(step.effects().size());
        InflightWindow inflight = after.inflight();
        int taken = 0;
        for (Effect e : step.effects()) {
            Packet p = sentOn(e, connection);
            if (p != null && isNewSend(p)) {
                inflight = inflight.without(((Publish) p).packetId());
                taken++;
            } else {
                effects.add(e);
            }
        }
        if (taken == 0 || before.queue().size() != after.queue().size() + taken) {
            return step;
        }
        Session undrained = after.withInflight(inflight).withQueue(before.queue());
        return new Step(step.state().withSession(clientId, undrained), effects);
    }
}
