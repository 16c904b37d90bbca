package io.checkedmqtt.core.effect;

import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.core.routing.RetainedMessage;

import java.util.Objects;

/**
 * One change to what a restart must bring back, as data: the payload of an {@link Effect.Persist}.
 * What is durable is a projection of the broker state, its <em>durable view</em>: every kept
 * session (one whose Session Expiry Interval is not 0, 3.1.1 CleanSession 0) with its
 * subscriptions, the QoS 1/2 messages queued for it or in flight towards it, the inbound QoS 2
 * packet identifiers awaiting PUBREL, its will, and when it went offline; and every retained
 * message. Connections, keep-alive, topic aliases and counters are not in it: a restart ends
 * every connection.
 *
 * <p>The records of a step, applied in order to the durable view of the state before the step,
 * give the durable view of the state after it ({@code broker.DurableChanges} computes them,
 * {@code durable.Replay} applies them). Records about a session name it by client identifier;
 * a record for a session the view does not hold is a damaged log.
 *
 * <p>Times are the core's milliseconds. The shell's clock makes them wall-clock instants
 * (nio-broker {@code Clock}), so a time recorded before a restart means the same instant after it,
 * and session expiry and message expiry count the time the broker was down.
 */
public sealed interface DurableRecord {

    /** A record about one session, named by its client identifier. */
    sealed interface SessionRecord extends DurableRecord {
        String clientId();
    }

    /**
     * A kept session's own facts, written when it becomes durable and whenever one of them
     * changes: when it connects or goes offline, its protocol version, expiry or will changes.
     *
     * @param expirySeconds        never 0 (such a session is not kept)
     * @param will                 the Will Message it holds (of its connection, or waiting for its
     *                             5.0 Will Delay Interval while offline), or null
     * @param connected            whether a client is connected to it
     * @param disconnectedAtMillis when it went offline (meaningless while connected)
     */
    record SessionSaved(String clientId, ProtocolVersion version, long expirySeconds, Will will, boolean connected,
                        long disconnectedAtMillis) implements SessionRecord {
        public SessionSaved {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(version, "version");
        }
    }

    /** The session ended (or is no longer kept): forget it and everything recorded for it. */
    record SessionEnded(String clientId) implements SessionRecord {
    }

    /** The session holds this subscription now (new, or its options or identifier changed). */
    record Subscribed(String clientId, String topicFilter, SubscriptionOptions options, int subscriptionId)
            implements SessionRecord {
    }

    /** The session no longer holds a subscription to exactly this filter. */
    record Unsubscribed(String clientId, String topicFilter) implements SessionRecord {
    }

    /** A message joined the end of the session's queue, as the queue holds it (no packet identifier yet). */
    record MessageQueued(String clientId, Publish publish, long receivedAtMillis) implements SessionRecord {
    }

    /** The {@code count} oldest messages left the session's queue (sent, or their expiry passed). */
    record QueueTaken(String clientId, int count) implements SessionRecord {
    }

    /**
     * A QoS 1 or 2 PUBLISH went out and is in flight under its packet identifier, at the end of
     * the session's in-flight messages (their send order is the resend order).
     *
     * @param released        for QoS 2: PUBREC arrived and PUBREL went out (a restart resends PUBREL, not the PUBLISH)
     * @param expiresAtMillis when its 5.0 Message Expiry Interval runs out ({@code MessageExpiry.NEVER}
     *                        without one): a resend after the restart carries the seconds left then
     */
    record InFlight(String clientId, Publish publish, boolean released, long expiresAtMillis)
            implements SessionRecord {
    }

    /** PUBREC arrived for this outbound QoS 2 message and PUBREL went out. */
    record Released(String clientId, int packetId) implements SessionRecord {
    }

    /** The outbound flow of this packet identifier is over (PUBACK, PUBCOMP, or dropped); the identifier is free. */
    record Completed(String clientId, int packetId) implements SessionRecord {
    }

    /** An inbound QoS 2 PUBLISH was handed on; its packet identifier is kept until PUBREL. */
    record Qos2Received(String clientId, int packetId) implements SessionRecord {
    }

    /** PUBREL arrived for this inbound packet identifier: it is forgotten. */
    record Qos2Released(String clientId, int packetId) implements SessionRecord {
    }

    /** The topic's retained message is now this one. */
    record RetainedSet(RetainedMessage message) implements DurableRecord {
    }

    /** The topic has no retained message any more. */
    record RetainedCleared(String topic) implements DurableRecord {
    }
}
