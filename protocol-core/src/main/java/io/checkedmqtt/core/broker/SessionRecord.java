package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.session.DeliveryStage;
import io.checkedmqtt.core.session.InflightMessage;
import io.checkedmqtt.core.session.PacketIdSet;
import io.checkedmqtt.core.session.QueuedMessage;
import io.checkedmqtt.core.session.Session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's session in the core, written as the TLA+ record that {@code tla/TraceMqtt.tla}'s
 * {@code StateMapped} compares with the spec's variables: {@code held} (the core holds a
 * session), {@code keep} (its Session Expiry is not 0), {@code conn} (a connection is attached),
 * {@code sub} (the granted QoS on the one filter the spec's trace module has, -1 for none),
 * {@code queue} (message and QoS in queue order), {@code out} (packet identifier, message, QoS
 * and stage of each in-flight message, in send order), {@code in2} (the inbound QoS 2
 * identifiers awaiting PUBREL) and {@code rs} (the identifiers quarantined on the current
 * connection: sent more than once by a 3.1.1 timed resend or a fault rule's copy). A message is named by its payload. Both the running broker
 * ({@code spec_trace}) and model-tests' harness write it, so the two kinds of trace are compared
 * with the spec in the same terms. It lives in the core because it reads the sessions, which the
 * shell may not (the shell only carries out effects); it only builds text.
 */
public final class SessionRecord {

    /** What {@code sub} says when a session has more than one subscription: no spec value matches it. */
    public static final int SEVERAL_FILTERS = 3;

    private SessionRecord() {
    }

    /** The record of {@code clientId}'s session in {@code state}; {@code filter} as below. */
    public static String of(BrokerState state, String clientId, String filter) {
        return of(state.session(clientId), state.isConnected(clientId), filter);
    }

    /**
     * What changes whenever {@code clientId}'s session does (the core's values are immutable, so a
     * reference comparison tells): the shell records a session again only when this changed.
     */
    public static Object version(BrokerState state, String clientId) {
        return state.session(clientId);
    }

    /**
     * The record of {@code s} (null: no session). {@code filter} names the one filter the trace
     * module knows; null takes the session's only subscription, whatever its filter (the
     * running broker does not know which filter a test uses).
     */
    public static String of(Session s, boolean connected, String filter) {
        if (s == null) {
            return "[held |-> FALSE, keep |-> FALSE, conn |-> " + bool(connected)
                    + ", sub |-> -1, queue |-> <<>>, out |-> <<>>, in2 |-> {}, rs |-> {}]";
        }
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
                + ", sub |-> " + subscriptionQos(s, filter)
                + ", queue |-> <<" + String.join(", ", queue) + ">>, out |-> <<" + String.join(", ", out)
                + ">>, in2 |-> {" + String.join(", ", ids(s.awaitingPubRel())) + "}, rs |-> {"
                + String.join(", ", ids(s.link() == null ? PacketIdSet.EMPTY : s.link().resentIds())) + "}]";
    }

    private static int subscriptionQos(Session s, String filter) {
        if (filter != null) {
            SubscriptionOptions sub = s.subscriptions().get(filter);
            return sub == null ? -1 : sub.maxQos().value();
        }
        if (s.subscriptions().size() > 1) {
            return SEVERAL_FILTERS;
        }
        return s.subscriptions().values().stream().findFirst().map(o -> o.maxQos().value()).orElse(-1);
    }

    /** The identifiers in the set, found by probing (the set has no iterator; the runs use small ids). */
    private static List<String> ids(PacketIdSet set) {
        List<String> ids = new ArrayList<>();
        for (int id = 1; id <= 65_535 && ids.size() < set.size(); id++) {
            if (set.contains(id)) {
                ids.add(Integer.toString(id));
            }
        }
        return ids;
    }

    /** The message's name, its payload, as a TLA+ string. */
    public static String message(Publish p) {
        return "\"" + text(new String(p.payload(), StandardCharsets.UTF_8)) + "\"";
    }

    /**
     * {@code s} as the inside of a TLA+ string: backslash, quote and the control characters TLA+
     * has escapes for are escaped, other control characters (a tab-separated file's separators
     * among them) become {@code ?}.
     */
    public static String text(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(ch < 0x20 ? '?' : ch);
            }
        }
        return b.toString();
    }

    private static String bool(boolean b) {
        return b ? "TRUE" : "FALSE";
    }
}
