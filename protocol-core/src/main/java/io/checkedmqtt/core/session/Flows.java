package io.checkedmqtt.core.session;

import java.util.Objects;

/**
 * The part of a {@link Session} that only messages change: what is in flight both ways, what
 * waits, the drop count and the 3.1.1 resend deadline. Kept
 * apart so that a session with no message history, which is what most idle clients of a large
 * fleet have, shares the one {@link #NONE} instead of carrying these fields itself.
 *
 * @param inflight        outbound QoS 1/2 messages holding a packet identifier, in send order
 * @param queue           messages waiting for the client, for a free in-flight slot, or for a
 *                        packet identifier outside the 3.1.1 quarantine ({@link Link#resentIds()})
 * @param awaitingPubRel  inbound QoS 2 packet identifiers already handed on, awaiting PUBREL
 * @param droppedMessages messages dropped because the queue was full
 * @param resendAtMillis  3.1.1 timed resend: when the Resend timer is due; {@link Session#NO_DEADLINE} if not scheduled
 */
public record Flows(InflightWindow inflight, MessageQueue queue, PacketIdSet awaitingPubRel,
                    long droppedMessages, long resendAtMillis) {

    /** Nothing ever sent, queued or dropped. */
    public static final Flows NONE = new Flows(InflightWindow.EMPTY, MessageQueue.EMPTY, PacketIdSet.EMPTY, 0,
            Session.NO_DEADLINE);

    public Flows {
        Objects.requireNonNull(inflight, "inflight");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(awaitingPubRel, "awaitingPubRel");
    }

    /** These flows, or {@link #NONE} when they equal it: an idle session keeps no copy of its own. */
    static Flows of(InflightWindow inflight, MessageQueue queue, PacketIdSet awaitingPubRel,
                    long droppedMessages, long resendAtMillis) {
        if (inflight.isEmpty() && queue.isEmpty() && awaitingPubRel.size() == 0 && droppedMessages == 0
                && resendAtMillis == Session.NO_DEADLINE) {
            return NONE;
        }
        return new Flows(inflight, queue, awaitingPubRel, droppedMessages, resendAtMillis);
    }
}
