package io.checkedmqtt.core.durable;

import io.checkedmqtt.core.broker.BrokerState;
import io.checkedmqtt.core.effect.DurableRecord;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.routing.RetainedMessages;
import io.checkedmqtt.core.routing.Router;
import io.checkedmqtt.core.session.DeliveryStage;
import io.checkedmqtt.core.session.InflightMessage;
import io.checkedmqtt.core.session.MessageQueue;
import io.checkedmqtt.core.session.QueuedMessage;
import io.checkedmqtt.core.session.Session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recovery as a pure function: the records of a snapshot and of the log after it, applied one by
 * one in order to the initial state, give the state a restarted broker begins with (then
 * {@code BrokerCore.recovered} schedules its deadlines). Each {@link #apply} returns the next
 * value; nothing is shared or changed.
 *
 * <p>Every session comes back offline, with its subscriptions in the router, its queue, its
 * in-flight messages in their send order (resent on reconnect [v3.1.1 MQTT-4.4.0-1;
 * v5 MQTT-4.4.0-1]) and its inbound QoS 2 identifiers, so a PUBLISH the publisher resends after
 * the restart is acknowledged again and not handed on twice [v5 MQTT-4.3.3-10]. A session that
 * was connected when the broker stopped counts as disconnected at {@code nowMillis}, the
 * restart. Links, keep-alive and timers are not recorded; a session's next packet identifier
 * follows its last in-flight one.
 *
 * <p>A record that does not fit the state (a session that is not there, an identifier in flight
 * twice) is counted in {@link #ignored} and changes nothing. The log of a correct broker has none
 * (the property tests check this); after a salvage, what the lost bytes held is missing, and
 * records about it are skipped.
 *
 * @param state     the state so far
 * @param nowMillis the restart: when sessions that were connected count as disconnected
 * @param applied   records applied so far
 * @param ignored   records that did not fit and were skipped
 */
public record Replay(BrokerState state, long nowMillis, long applied, long ignored) {

    /** Nothing applied yet to {@code initial} (the core's initial state: an empty router with its settings). */
    public static Replay from(BrokerState initial, long nowMillis) {
        return new Replay(initial, nowMillis, 0, 0);
    }

    /** Applies every record, in order. */
    public Replay applyAll(List<DurableRecord> records) {
        Replay r = this;
        for (DurableRecord record : records) {
            r = r.apply(record);
        }
        return r;
    }

    public Replay apply(DurableRecord record) {
        BrokerState next = applied(record);
        return next == null ? new Replay(state, nowMillis, applied, ignored + 1)
                : new Replay(next, nowMillis, applied + 1, ignored);
    }

    /** The state after the record, or null when it does not fit. */
    private BrokerState applied(DurableRecord record) {
        if (record instanceof DurableRecord.RetainedSet r) {
            RetainedMessages retained = state.router().retained();
            return state.withRouter(state.router().withRetained(
                    retained.retain(r.message().publish(), r.message().receivedAtMillis())));
        } else if (record instanceof DurableRecord.RetainedCleared r) {
            RetainedMessages retained = state.router().retained();
            return retained.get(r.topic()) == null ? null : state.withRouter(state.router().withRetained(
                    retained.retain(new Publish(r.topic(), new byte[0], QoS.AT_MOST_ONCE, true, false, 0,
                            Properties.EMPTY), 0)));
        } else if (record instanceof DurableRecord.SessionSaved s) {
            return saved(s);
        }
        String clientId = ((DurableRecord.SessionRecord) record).clientId();
        Session s = state.session(clientId);
        if (s == null) {
            return null;
        }
        if (record instanceof DurableRecord.SessionEnded) {
            return state.withRouter(state.router().removeClient(clientId, s.subscriptions().keySet()))
                    .withSession(clientId, null);
        } else if (record instanceof DurableRecord.Subscribed sub) {
            return subscribed(s, sub);
        } else if (record instanceof DurableRecord.Unsubscribed u) {
            return unsubscribed(s, u.topicFilter());
        }
        Session next = sessionApplied(s, record);
        return next == null ? null : state.withSession(clientId, next);
    }

    private BrokerState saved(DurableRecord.SessionSaved r) {
        Session s = state.session(r.clientId());
        Session base = s == null ? Session.fresh(r.clientId(), r.version(), r.expirySeconds())
                : s.withVersion(r.version()).withExpirySeconds(r.expirySeconds());
        long disconnectedAt = r.connected() ? nowMillis : r.disconnectedAtMillis();
        return state.withSession(r.clientId(), base.withWill(r.will()).offline(disconnectedAt));
    }

    private BrokerState subscribed(Session s, DurableRecord.Subscribed r) {
        Map<String, SubscriptionOptions> subscriptions = new HashMap<>(s.subscriptions());
        subscriptions.put(r.topicFilter(), r.options());
        Router router = state.router().withSubscription(s.clientId(), new Subscription(r.topicFilter(), r.options()),
                r.subscriptionId());
        return state.withRouter(router).withSession(s.clientId(), s.withSubscriptions(subscriptions));
    }

    private BrokerState unsubscribed(Session s, String filter) {
        if (!s.subscriptions().containsKey(filter)) {
            return null;
        }
        Map<String, SubscriptionOptions> subscriptions = new HashMap<>(s.subscriptions());
        subscriptions.remove(filter);
        return state.withRouter(state.router().removeClient(s.clientId(), List.of(filter)))
                .withSession(s.clientId(), s.withSubscriptions(subscriptions));
    }

    /** A record about the session's messages, applied to it; null when it does not fit. */
    private Session sessionApplied(Session s, DurableRecord record) {
        if (record instanceof DurableRecord.MessageQueued q) {
            return s.withQueue(s.queue().offer(new QueuedMessage(q.publish(), q.receivedAtMillis())));
        } else if (record instanceof DurableRecord.QueueTaken t) {
            if (t.count() < 0 || t.count() > s.queue().size()) {
                return null;
            }
            MessageQueue queue = s.queue();
            for (int i = 0; i < t.count(); i++) {
                queue = queue.poll();
            }
            return s.withQueue(queue);
        } else if (record instanceof DurableRecord.InFlight f) {
            int id = f.publish().packetId();
            if (f.publish().qos() == QoS.AT_MOST_ONCE || s.inflight().holds(id)) {
                return null;
            }
            DeliveryStage stage = f.released() ? DeliveryStage.AWAITING_PUBCOMP
                    : f.publish().qos() == QoS.EXACTLY_ONCE ? DeliveryStage.AWAITING_PUBREC : DeliveryStage.AWAITING_PUBACK;
            return s.withSent(s.inflight().append(new InflightMessage(f.publish(), stage, nowMillis, 0,
                    f.expiresAtMillis(), false)), id);
        } else if (record instanceof DurableRecord.Released r) {
            InflightMessage m = s.inflight().find(r.packetId());
            return m == null || m.stage() != DeliveryStage.AWAITING_PUBREC ? null
                    : s.withInflight(s.inflight().replace(m.released(nowMillis)));
        } else if (record instanceof DurableRecord.Completed c) {
            return s.inflight().holds(c.packetId()) ? s.withInflight(s.inflight().without(c.packetId())) : null;
        } else if (record instanceof DurableRecord.Qos2Received r) {
            return s.awaitingPubRel().contains(r.packetId()) ? null
                    : s.withAwaitingPubRel(s.awaitingPubRel().add(r.packetId()));
        } else if (record instanceof DurableRecord.Qos2Released r) {
            return s.awaitingPubRel().contains(r.packetId())
                    ? s.withAwaitingPubRel(s.awaitingPubRel().remove(r.packetId())) : null;
        }
        return null;
    }
}
