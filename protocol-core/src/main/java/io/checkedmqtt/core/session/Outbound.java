package io.checkedmqtt.core.session;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Note;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.routing.MessageExpiry;
import io.checkedmqtt.core.routing.OutboundTopicAliases;

import java.util.ArrayList;
import java.util.List;

/**
 * The server as sender towards one client: new deliveries, the in-flight window, the queue, the
 * acknowledgements PUBACK / PUBREC / PUBCOMP, and retransmission. Package-private; reached
 * through {@link SessionTransitions}.
 */
final class Outbound {

    /** What {@link #sendableId} and {@link #nextFreePacketId} return when no identifier is usable (0 is never one). */
    static final int NO_USABLE_ID = 0;

    private final BrokerConfig config;
    private final Decisions decisions;
    private final Retransmission retransmission;

    Outbound(BrokerConfig config, Decisions decisions) {
        this.config = config;
        this.decisions = decisions;
        this.retransmission = new Retransmission(config, decisions);
    }

    // ---- a message routed to this session ----

    /**
     * A message the router matched to this session.
     *
     * @param receivedAt when the server received it (5.0 Message Expiry counts from there)
     */
    Session deliver(Session s, Publish message, long receivedAt, long now, SessionStepBuilder out) {
        if (!s.isOnline()) {
            // Offline: QoS 1 and 2 wait for the client [v3.1.1 MQTT-3.1.2-5]; QoS 0 only if configured.
            if (message.qos() != QoS.AT_MOST_ONCE || config.queueQos0WhileOffline()) {
                return enqueue(s, message, receivedAt, Note.DecisionKind.QUEUED_OFFLINE, out);
            }
            decisions.note(s, out, Note.DecisionKind.DROPPED_QOS0_OFFLINE, message,
                    "QoS 0 is not kept for an offline session (queue_qos0_messages false)");
            return s;
        }
        if (message.qos() == QoS.AT_MOST_ONCE) {
            return sendQos0(s, message, receivedAt, now, out);
        }
        int id = s.queue().isEmpty() ? sendableId(s) : NO_USABLE_ID;
        if (id != NO_USABLE_ID) {
            return sendNew(s, message, id, receivedAt, now, out);
        }
        // Window full, others waiting before it (which keeps the order), or no usable packet
        // identifier: wait [v5 MQTT-4.9.0-2].
        return enqueue(s, message, receivedAt, Note.DecisionKind.QUEUED_WINDOW_FULL, out);
    }

    /** QoS 0: sent once, no identifier, DUP 0 [v3.1.1 MQTT-4.3.1-1, MQTT-3.3.1-2; v5 MQTT-4.3.1-1, MQTT-2.2.1-2]. */
    private Session sendQos0(Session s, Publish message, long receivedAt, long now, SessionStepBuilder out) {
        Publish live = unexpired(s, message.forHop(QoS.AT_MOST_ONCE, 0), receivedAt, now);
        Session written = live == null ? null : write(s, live, out);
        if (written == null) {
            notSent(s, message, live, receivedAt, now, out);
        }
        return written == null ? s : written;
    }

    /** Notes why a message was not written: it expired, or it is larger than the client takes. */
    private void notSent(Session s, Publish message, Publish live, long receivedAt, long now,
                         SessionStepBuilder out) {
        if (!decisions.watches(s)) {
            return;
        }
        if (live == null) {
            decisions.note(s, out, Note.DecisionKind.EXPIRED, message, "its Message Expiry Interval ran out "
                    + (now - receivedAt) + " ms after it was received [v5 MQTT-3.3.2-5]");
        } else {
            decisions.tooLarge(s, out, message);
        }
    }

    /**
     * The PUBLISH with its 5.0 Message Expiry Interval lowered by the time it waited
     * [v5 MQTT-3.3.2-6], or null when that ran out and the message is not sent [v5 MQTT-3.3.2-5].
     */
    private static Publish unexpired(Session s, Publish p, long receivedAt, long now) {
        return s.version().isV5() ? MessageExpiry.forDelivery(p, receivedAt, now) : p;
    }

    /**
     * Writes one PUBLISH, its packet identifier set and its expiry lowered, on the session's
     * connection: with the connection's outbound Topic Alias applied (policy:
     * {@link OutboundTopicAliases}), unless it would then exceed the client's Maximum Packet
     * Size while the plain form would not. A PUBLISH larger than the client's Maximum Packet Size
     * is not written at all [v5 MQTT-3.1.2-24]; it counts as delivered [v5 MQTT-3.1.2-25].
     *
     * @return the session with its connection's alias state after the write, or null when nothing
     *         was written because the PUBLISH is too large
     */
    private static Session write(Session s, Publish p, SessionStepBuilder out) {
        Link link = s.link();
        OutboundTopicAliases aliases = link.outboundAliases();
        if (aliases.maximum() > 0) {
            OutboundTopicAliases.Aliased aliased = aliases.apply(p);
            if (fits(s, aliased.publish())) {
                out.effect(new Effect.Send(link.connection(), aliased.publish()));
                return s.withLink(link.withOutboundAliases(aliased.aliases()));
            }
            // Only the PUBLISH that sets a new alias is larger than the plain one: send it plain.
        }
        if (!fits(s, p)) {
            return null;
        }
        out.effect(new Effect.Send(link.connection(), p));
        return s;
    }

    /** Whether the client takes a PUBLISH this large (3.1.1 and most 5.0 clients set no limit). */
    static boolean fits(Session s, Publish p) {
        long max = s.link().maximumPacketSize();
        return max == Link.NO_MAXIMUM_PACKET_SIZE || MqttEncoder.encodedSize(p, s.version()) <= max;
    }

    /** Queue a message, or drop it (the newest) and count it when the queue is full. */
    private Session enqueue(Session s, Publish message, long receivedAt, Note.DecisionKind why,
                            SessionStepBuilder out) {
        MessageQueue q = s.queue();
        long maxBytes = config.maxQueuedBytes();
        boolean watched = decisions.watches(s);
        if (q.size() >= config.maxQueuedMessages() || (maxBytes > 0 && q.bytes() + message.weight() > maxBytes)) {
            if (watched) {
                decisions.note(s, out, Note.DecisionKind.DROPPED_QUEUE_FULL, message, "the queue holds " + q.size()
                        + " messages, " + q.bytes() + " bytes (max_queued_messages " + config.maxQueuedMessages()
                        + ", max_queued_bytes " + maxBytes + ")");
            }
            return s.withDropped(s.droppedMessages() + 1);
        }
        if (watched) {
            decisions.note(s, out, why, message, why == Note.DecisionKind.QUEUED_OFFLINE
                    ? "the client is offline; " + (q.size() + 1) + " queued"
                    : (q.size() + 1) + " queued behind " + s.inflight().size() + " in flight (window "
                    + (s.isOnline() ? s.link().sendLimit() : 0) + ")");
        }
        return s.withQueue(q.offer(message, receivedAt));
    }

    /** Give the message the usable packet identifier {@code id}, put it in flight and send it. */
    private Session sendNew(Session s, Publish message, int id, long receivedAt, long now, SessionStepBuilder out) {
        // A new id, QoS as delivered, DUP 0 [v3.1.1 MQTT-4.3.2-1, MQTT-4.3.3-1, MQTT-2.3.1-4;
        // v5 MQTT-4.3.2-1, -2, MQTT-4.3.3-1, -2, MQTT-2.2.1-4]
        Publish live = unexpired(s, message.forHop(message.qos(), id), receivedAt, now);
        Session written = live == null ? null : write(s, live, out);
        if (written == null) {
            notSent(s, message, live, receivedAt, now, out);
            return s; // expired or too large: as if delivered, the identifier stays free
        }
        // In flight without a Topic Alias: a resend may go on another connection [v5 MQTT-3.3.2-7].
        InflightMessage sent = InflightMessage.sent(live, now, MessageExpiry.expiresAt(message, receivedAt));
        return retransmission.schedule(written.withSent(written.inflight().append(sent), id), now, out);
    }

    /**
     * The identifier a new QoS 1/2 PUBLISH may go out under now, or {@link #NO_USABLE_ID} when it
     * must wait: the in-flight window is full [v5 MQTT-4.9.0-2] or no identifier is usable.
     */
    private static int sendableId(Session s) {
        return s.inflight().size() < s.link().sendLimit() ? nextFreePacketId(s) : NO_USABLE_ID;
    }

    /**
     * The next usable packet identifier, counting up from the last one and wrapping from 65535
     * to 1, or {@link #NO_USABLE_ID}. An identifier is usable when no in-flight message holds it:
     * identifiers are unique in flight and reused only after their flow completed [v3.1.1
     * MQTT-2.3.1-4, v5 MQTT-2.2.1-4]; with a free in-flight slot and nothing quarantined one
     * always is. It must also not be quarantined ({@link Link#resentIds()}): the 3.1.1 timed
     * resend sent it twice on this connection, and a late answer to its second copy must not
     * acknowledge a new message [v3.1.1 MQTT-4.3.2-1]. Should every free identifier be
     * quarantined (a connection of tens of thousands of resends), there is none: new QoS 1/2
     * messages wait in the queue until a flow with an identifier outside the quarantine
     * completes, or until the connection ends, which empties the quarantine.
     */
    static int nextFreePacketId(Session s) {
        int id = s.lastPacketId();
        InflightWindow inflight = s.inflight();
        PacketIdSet resent = s.link() == null ? PacketIdSet.EMPTY : s.link().resentIds();
        if (resent.size() == 0) {
            do {
                id = id >= 65_535 ? 1 : id + 1;
            } while (inflight.holds(id));
            return id;
        }
        for (int tries = 0; tries < 65_535; tries++) {
            id = id >= 65_535 ? 1 : id + 1;
            if (!inflight.holds(id) && !resent.contains(id)) {
                return id;
            }
        }
        return NO_USABLE_ID;
    }

    /**
     * Move queued messages into free in-flight slots, oldest first. A QoS 1/2 message at the head
     * waits, and everything behind it, while the window is full or no packet identifier is usable.
     */
    Session drain(Session s, long now, SessionStepBuilder out) {
        if (!s.isOnline()) {
            return s;
        }
        // Messages held back on reconnect are older than anything queued: they go first.
        Session cur = s.inflight().heldCount() > 0 ? retransmission.releaseHeld(s, now, out) : s;
        while (!cur.queue().isEmpty()) {
            QueuedMessage head = cur.queue().peek();
            if (head.publish().qos() == QoS.AT_MOST_ONCE) {
                cur = sendQos0(cur.withQueue(cur.queue().poll()), head.publish(), head.receivedAtMillis(), now, out);
                continue;
            }
            int id = sendableId(cur);
            if (id == NO_USABLE_ID) {
                break;
            }
            cur = sendNew(cur.withQueue(cur.queue().poll()), head.publish(), id, head.receivedAtMillis(), now,
                    out);
        }
        return cur;
    }

    // ---- acknowledgements from the client ----

    /**
     * PUBACK: the QoS 1 flow is complete and its identifier free [v5 MQTT-4.3.2-3].
     *
     * @param link the session's link after this packet arrived
     */
    Session pubAck(Session s, Link link, int packetId, long now, SessionStepBuilder out) {
        InflightMessage m = s.inflight().find(packetId);
        if (m == null || m.stage() != DeliveryStage.AWAITING_PUBACK) {
            return s.withLink(link); // stale or unknown: nothing to complete
        }
        return drain(s.withInflight(s.inflight().without(packetId), link), now, out);
    }

    /**
     * PUBREC: answer PUBREL with the same identifier and never send the PUBLISH again
     * [v3.1.1 MQTT-4.3.3-1; v5 MQTT-4.3.3-4, -6]. A PUBREC with a reason code of 0x80 or more
     * ends the flow: the message counts as acknowledged [v5 MQTT-4.4.0-2].
     */
    Session pubRec(Session s, int packetId, ReasonCode reason, long now, SessionStepBuilder out) {
        InflightMessage m = s.inflight().find(packetId);
        if (m == null) {
            // Nothing in flight under this id (e.g. already completed): let the client finish its side.
            out.effect(new Effect.Send(s.link().connection(), s.version().isV5()
                    ? new PubRel(packetId, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                    io.checkedmqtt.core.packet.Properties.EMPTY)
                    : new PubRel(packetId)));
            return s;
        }
        switch (m.stage()) {
            case AWAITING_PUBREC -> {
                if (reason.isError()) {
                    return drain(s.withInflight(s.inflight().without(packetId)), now, out);
                }
                out.effect(new Effect.Send(s.link().connection(), new PubRel(packetId)));
                Session next = s.withInflight(s.inflight().replace(m.released(now)));
                return retransmission.schedule(next, now, out);
            }
            case AWAITING_PUBCOMP -> {
                // A repeated PUBREC: our PUBREL may have been lost, send it again.
                out.effect(new Effect.Send(s.link().connection(), new PubRel(packetId)));
                return s;
            }
            default -> {
                return s; // a PUBREC for a QoS 1 message: ignore it
            }
        }
    }

    /** PUBCOMP: the QoS 2 flow is complete and its identifier free [v5 MQTT-4.3.3-5]. */
    Session pubComp(Session s, Link link, int packetId, long now, SessionStepBuilder out) {
        InflightMessage m = s.inflight().find(packetId);
        if (m == null || m.stage() != DeliveryStage.AWAITING_PUBCOMP) {
            return s.withLink(link);
        }
        return drain(s.withInflight(s.inflight().without(packetId), link), now, out);
    }

    // ---- retransmission ----

    /** A kept session reconnected: resend what is in flight ({@link Retransmission#resendAll}), then drain the queue. */
    Session resendAll(Session s, long now, SessionStepBuilder out) {
        return drain(retransmission.resendAll(s, now, out), now, out);
    }

    /** The Resend timer fired (3.1.1 timed resend). */
    Session resendDue(Session s, long now, SessionStepBuilder out) {
        return retransmission.resendDue(s, now, out);
    }
}
