package io.checkedmqtt.model;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.session.DeliveryStage;
import io.checkedmqtt.core.session.InflightMessage;
import io.checkedmqtt.core.session.QueuedMessage;
import io.checkedmqtt.core.session.Session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The core's session state of every client, written as the TLA+ value that the trace module's
 * {@code StateMapped} invariant compares with {@code tla/Mqtt.tla}'s variables. Per client:
 * {@code held} (the core holds a session), {@code keep} (its Session Expiry is not 0),
 * {@code conn} (a connection is attached), {@code sub} (the granted QoS on the one topic filter
 * the runs use, -1 for none), {@code queue} (message and QoS in queue order), {@code out} (packet
 * identifier, message, QoS and stage of each in-flight message, in send order) and {@code in2}
 * (the inbound QoS 2 identifiers awaiting PUBREL).
 */
final class SessionStateRecord {

    private SessionStateRecord() {
    }

    static String of(BrokerState state, Collection<String> clients) {
        List<String> fields = new ArrayList<>();
        for (String c : clients) {
            fields.add(c + " |-> " + ofSession(state.session(c), state.isConnected(c)));
        }
        return "[" + String.join(", ", fields) + "]";
    }

    private static String ofSession(Session s, boolean connected) {
        if (s == null) {
            return "[held |-> FALSE, keep |-> FALSE, conn |-> " + bool(connected)
                    + ", sub |-> -1, queue |-> <<>>, out |-> <<>>, in2 |-> {}]";
        }
        SubscriptionOptions sub = s.subscriptions().get(World.TOPIC);
        List<String> queue = new ArrayList<>();
        for (QueuedMessage q : s.queue().toList()) {
            queue.add("[m |-> " + message(q.publish()) + ", q |-> " + q.publish().qos().value() + "]");
        }
        List<String> out = new ArrayList<>();
        for (InflightMessage f : s.inflight()) {
            out.add("[pid |-> " + f.packetId() + ", m |-> " + message(f.publish()) + ", q |-> "
                    + f.publish().qos().value() + ", st |-> \""
                    + (f.stage() == DeliveryStage.AWAITING_PUBCOMP ? "released" : "published") + "\"]");
        }
        return "[held |-> TRUE, keep |-> " + bool(s.expirySeconds() > 0) + ", conn |-> " + bool(connected)
                + ", sub |-> " + (sub == null ? -1 : sub.maxQos().value())
                + ", queue |-> <<" + String.join(", ", queue) + ">>, out |-> <<" + String.join(", ", out)
                + ">>, in2 |-> {" + String.join(", ", awaitingPubRel(s)) + "}]";
    }

    /** The identifiers in the set, found by probing (the set has no iterator; runs use small ids). */
    private static List<String> awaitingPubRel(Session s) {
        List<String> ids = new ArrayList<>();
        for (int id = 1; id <= 65_535 && ids.size() < s.awaitingPubRel().size(); id++) {
            if (s.awaitingPubRel().contains(id)) {
                ids.add(Integer.toString(id));
            }
        }
        return ids;
    }

    private static String message(Publish p) {
        return "\"" + new String(p.payload(), StandardCharsets.UTF_8) + "\"";
    }

    private static String bool(boolean b) {
        return b ? "TRUE" : "FALSE";
    }
}
