package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.DurableRecord;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.routing.Router;
import io.checkedmqtt.core.routing.Subscriber;
import io.checkedmqtt.core.session.DeliveryStage;
import io.checkedmqtt.core.session.InflightMessage;
import io.checkedmqtt.core.session.InflightWindow;
import io.checkedmqtt.core.session.MessageQueue;
import io.checkedmqtt.core.session.PacketIdSet;
import io.checkedmqtt.core.session.QueuedMessage;
import io.checkedmqtt.core.session.Session;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The durable records of one session between two broker states: a pure comparison of the session
 * before and after, part by part. A part that is the same object in both is skipped unread,
 * which is what makes the comparison cheap: a step replaces only what it changed. The records,
 * applied to the durable view of {@code before}, give that of {@code after}
 * ({@link DurableChanges} says what the view holds).
 */
final class SessionChanges {

    private SessionChanges() {
    }

    /** Whether a restart must bring this session back: it outlives its connection. */
    static boolean kept(Session s) {
        return s != null && !s.endsWithConnection();
    }

    /**
     * @param before the session in the earlier state, or null
     * @param after  the session in the later state, or null
     */
    static void of(String clientId, Session before, Router routerBefore, Session after, Router routerAfter,
                   Consumer<DurableRecord> out) {
        boolean wasKept = kept(before);
        if (!kept(after)) {
            if (wasKept) {
                out.accept(new DurableRecord.SessionEnded(clientId));
            }
            return;
        }
        Session was = wasKept ? before : null;
        if (was == null || factsDiffer(was, after)) {
            out.accept(saved(after));
        }
        subscriptions(clientId, was, routerBefore, after, routerAfter, out);
        inflight(clientId, was == null ? InflightWindow.EMPTY : was.inflight(), after.inflight(), out);
        queue(clientId, was == null ? MessageQueue.EMPTY : was.queue(), after.queue(), out);
        awaitingPubRel(clientId, was == null ? PacketIdSet.EMPTY : was.awaitingPubRel(), after.awaitingPubRel(), out);
    }

    static DurableRecord.SessionSaved saved(Session s) {
        return new DurableRecord.SessionSaved(s.clientId(), s.version(), s.expirySeconds(), s.will(), s.isOnline(),
                s.isOnline() ? 0 : s.disconnectedAtMillis());
    }

    private static boolean factsDiffer(Session a, Session b) {
        return a.version() != b.version() || a.expirySeconds() != b.expirySeconds() || a.will() != b.will()
                || a.isOnline() != b.isOnline()
                || !b.isOnline() && a.disconnectedAtMillis() != b.disconnectedAtMillis();
    }

    /**
     * Each filter the session holds after, when it is new or its granted options or Subscription
     * Identifier changed (the router holds the identifier, the session only the options), and
     * each filter it no longer holds.
     */
    private static void subscriptions(String clientId, Session was, Router routerBefore, Session now,
                                      Router routerAfter, Consumer<DurableRecord> out) {
        Map<String, SubscriptionOptions> before = was == null ? Map.of() : was.subscriptions();
        Map<String, SubscriptionOptions> after = now.subscriptions();
        if (before == after) {
            return;
        }
        for (Map.Entry<String, SubscriptionOptions> e : after.entrySet()) {
            String filter = e.getKey();
            Subscriber held = routerAfter.index().get(clientId, filter);
            int id = held == null ? 0 : held.subscriptionId();
            Subscriber had = was == null ? null : routerBefore.index().get(clientId, filter);
            if (!e.getValue().equals(before.get(filter)) || had == null || had.subscriptionId() != id) {
                out.accept(new DurableRecord.Subscribed(clientId, filter, e.getValue(), id));
            }
        }
        for (String filter : before.keySet()) {
            if (!after.containsKey(filter)) {
                out.accept(new DurableRecord.Unsubscribed(clientId, filter));
            }
        }
    }

    /**
     * The in-flight messages, walked in send order on both sides. The core removes messages
     * anywhere, moves a QoS 2 message to AWAITING_PUBCOMP in place, and appends new ones; so a
     * message of {@code before} is either the next one of {@code after} (the same PUBLISH object,
     * perhaps released) or gone, and whatever of {@code after} is left over was appended. Whatever
     * the history, the records rebuild {@code after} exactly: the matched messages are its first
     * ones, in order, and the rest follow.
     */
    private static void inflight(String clientId, InflightWindow before, InflightWindow after,
                                 Consumer<DurableRecord> out) {
        if (before == after) {
            return;
        }
        int next = 0;
        for (int i = 0; i < before.size(); i++) {
            InflightMessage m = before.get(i);
            InflightMessage n = next < after.size() ? after.get(next) : null;
            if (n != null && n.publish() == m.publish() && (n.stage() == m.stage() || released(m, n))) {
                if (n.stage() != m.stage()) {
                    out.accept(new DurableRecord.Released(clientId, n.packetId()));
                }
                next++;
            } else {
                out.accept(new DurableRecord.Completed(clientId, m.packetId()));
            }
        }
        for (; next < after.size(); next++) {
            InflightMessage n = after.get(next);
            out.accept(new DurableRecord.InFlight(clientId, n.publish(), n.stage() == DeliveryStage.AWAITING_PUBCOMP,
                    n.expiresAtMillis()));
        }
    }

    private static boolean released(InflightMessage before, InflightMessage after) {
        return before.stage() == DeliveryStage.AWAITING_PUBREC && after.stage() == DeliveryStage.AWAITING_PUBCOMP;
    }

    private static void queue(String clientId, MessageQueue before, MessageQueue after, Consumer<DurableRecord> out) {
        if (before == after) {
            return;
        }
        MessageQueue.Change change = after.changesSince(before);
        if (change.taken() > 0) {
            out.accept(new DurableRecord.QueueTaken(clientId, change.taken()));
        }
        for (QueuedMessage m : change.added()) {
            out.accept(new DurableRecord.MessageQueued(clientId, m.publish(), m.receivedAtMillis()));
        }
    }

    /** Both sets are sorted: one merge finds what was added and what was removed. */
    private static void awaitingPubRel(String clientId, PacketIdSet before, PacketIdSet after,
                                       Consumer<DurableRecord> out) {
        if (before == after || before.equals(after)) {
            return;
        }
        int[] a = before.toArray();
        int[] b = after.toArray();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (j >= b.length || i < a.length && a[i] < b[j]) {
                out.accept(new DurableRecord.Qos2Released(clientId, a[i++]));
            } else if (i >= a.length || b[j] < a[i]) {
                out.accept(new DurableRecord.Qos2Received(clientId, b[j++]));
            } else {
                i++;
                j++;
            }
        }
    }
}
