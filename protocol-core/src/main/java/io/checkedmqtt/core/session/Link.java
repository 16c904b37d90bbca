package io.checkedmqtt.core.session;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.routing.InboundTopicAliases;
import io.checkedmqtt.core.routing.OutboundTopicAliases;

import java.util.Objects;

/**
 * Everything the core knows about a network connection whose CONNECT it accepted: the one record
 * of a connection in the core (the broker state only indexes connections by id; the shell's own
 * connection object holds sockets and buffers). It lives in the session the connection carries
 * and ends with the connection. A session without a link is offline: its client is away, and
 * messages for it are queued or dropped.
 *
 * @param connection          the connection the session is attached to
 * @param keepAliveMillis     the Keep Alive in force (the client's, or 5.0 Server Keep Alive); 0: off.
 *                            An int: at most 65,535 s, and a link is kept for every connected client
 * @param lastPacketAtMillis  when the last packet from the client arrived
 * @param sendLimit           QoS 1/2 PUBLISHes the server may have unacknowledged towards the client:
 *                            the configured limit, lowered to the client's 5.0 Receive Maximum
 *                            [v5 MQTT-3.3.4-9]
 * @param maximumPacketSize   5.0: the largest packet the client accepts (its CONNECT property), or
 *                            {@link #NO_MAXIMUM_PACKET_SIZE}; a larger PUBLISH is not sent
 *                            [v5 MQTT-3.1.2-24]
 * @param inboundAliases      5.0: the Topic Alias to Topic Name mappings the client set up on this
 *                            connection; they never carry over to another one [v5 MQTT-3.3.2-7]
 * @param outboundAliases     5.0: the Topic Aliases the server set towards the client on this
 *                            connection, within the client's Topic Alias Maximum; equally
 *                            per connection [v5 MQTT-3.3.2-7]
 * @param resentIds           3.1.1 timed resend: packet identifiers sent more than once on this
 *                            connection. The client answers every copy, so a late second PUBACK
 *                            for such an id may still be on its way after the first one completed
 *                            the flow; the id is not given to a new message until the connection
 *                            ends, so that late answer can never acknowledge the new message
 *                            [v3.1.1 MQTT-2.3.1-4, MQTT-4.3.2-1]. Should every id not in flight
 *                            be in this set, new QoS 1/2 messages wait in the session's queue
 *                            until a flow with an id outside it completes or the connection ends
 *                            (the next link starts empty)
 * @param earlierPubRels      5.0: identifiers of QoS 2 PUBLISHes the client sent on an earlier
 *                            connection of the session and has not released yet. The client's send
 *                            quota starts afresh at the server's Receive Maximum on every connection
 *                            (5.0 section 4.9), so these flows do not count against it here; only
 *                            QoS 2 flows begun on this connection do (Inbound)
 */
public record Link(ConnectionId connection, int keepAliveMillis, long lastPacketAtMillis, int sendLimit,
                   long maximumPacketSize, InboundTopicAliases inboundAliases, OutboundTopicAliases outboundAliases,
                   PacketIdSet resentIds, PacketIdSet earlierPubRels) {

    /** {@link #maximumPacketSize} when the client sent none: any size goes (5.0 section 3.1.2.11.4). */
    public static final long NO_MAXIMUM_PACKET_SIZE = Long.MAX_VALUE;

    public Link {
        Objects.requireNonNull(inboundAliases, "inboundAliases");
        Objects.requireNonNull(outboundAliases, "outboundAliases");
        Objects.requireNonNull(resentIds, "resentIds");
        Objects.requireNonNull(earlierPubRels, "earlierPubRels");
    }

    /** A link on which nothing was sent twice yet. */
    public Link(ConnectionId connection, int keepAliveMillis, long lastPacketAtMillis, int sendLimit,
                long maximumPacketSize, InboundTopicAliases inboundAliases, OutboundTopicAliases outboundAliases) {
        this(connection, keepAliveMillis, lastPacketAtMillis, sendLimit, maximumPacketSize, inboundAliases,
                outboundAliases, PacketIdSet.EMPTY, PacketIdSet.EMPTY);
    }

    /** This link after a packet arrived at {@code nowMillis}. */
    public Link touched(long nowMillis) {
        return lastPacketAtMillis == nowMillis ? this
                : new Link(connection, keepAliveMillis, nowMillis, sendLimit, maximumPacketSize, inboundAliases,
                outboundAliases, resentIds, earlierPubRels);
    }

    public Link withInboundAliases(InboundTopicAliases aliases) {
        return new Link(connection, keepAliveMillis, lastPacketAtMillis, sendLimit, maximumPacketSize, aliases,
                outboundAliases, resentIds, earlierPubRels);
    }

    public Link withOutboundAliases(OutboundTopicAliases aliases) {
        return aliases == outboundAliases ? this
                : new Link(connection, keepAliveMillis, lastPacketAtMillis, sendLimit, maximumPacketSize,
                inboundAliases, aliases, resentIds, earlierPubRels);
    }

    /** This link after the packet with {@code packetId} went out a second (or later) time on it. */
    public Link withResent(int packetId) {
        PacketIdSet ids = resentIds.add(packetId);
        return ids == resentIds ? this
                : new Link(connection, keepAliveMillis, lastPacketAtMillis, sendLimit, maximumPacketSize,
                inboundAliases, outboundAliases, ids, earlierPubRels);
    }

    /** This link with the QoS 2 flows the client began on earlier connections and has not released. */
    public Link withEarlierPubRels(PacketIdSet ids) {
        return new Link(connection, keepAliveMillis, lastPacketAtMillis, sendLimit, maximumPacketSize,
                inboundAliases, outboundAliases, resentIds, ids);
    }

    /** When the connection counts as dead: 1.5 times the Keep Alive after the last packet. */
    public long keepAliveDeadline() {
        return lastPacketAtMillis + keepAliveMillis + keepAliveMillis / 2;
    }
}
