package io.checkedmqtt.core.session;

import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.Will;

import java.util.Map;
import java.util.Objects;

/**
 * The server's state for one client identifier, as an immutable value [v3.1.1 MQTT-3.1.3-2,
 * v5 MQTT-3.1.3-2]. It lives at least as long as its network connection [v3.1.1 MQTT-4.1.0-2,
 * v5 MQTT-4.1.0-1] and, when kept, across connections. {@link SessionTransitions} maps one
 * session to the next.
 *
 * <p>An idle client's session is small: what only messages change (in flight, queued, awaiting
 * PUBREL, drops, the resend deadline) lives in {@link Flows}, and a session without any shares
 * {@link Flows#NONE}. The accessors below read through it, so callers see one flat session.
 *
 * @param clientId          the Client Identifier (given by the client or assigned by the server)
 * @param version           the protocol version of the connection that last attached
 * @param expirySeconds     how long the session outlives its connection: 0 ends it with the
 *                          connection (3.1.1 CleanSession=1, 5.0 Session Expiry Interval 0);
 *                          {@link #NEVER_EXPIRES} keeps it forever (3.1.1 CleanSession=0, 5.0 0xFFFFFFFF)
 * @param subscriptions     Topic Filter to options; the router holds the same set for matching
 * @param lastPacketId      the packet identifier most recently given to an outbound message
 * @param will              the Will Message: of the current connection, or (offline) one whose
 *                          5.0 Will Delay Interval is still running; null when there is none
 * @param link              the connection the session is attached to; null while offline
 * @param disconnectedAtMillis when the last connection ended (meaningful while offline)
 * @param flows             in flight, queued, awaiting PUBREL, dropped, resend deadline ({@link Flows})
 */
public record Session(String clientId, ProtocolVersion version, long expirySeconds,
                      Map<String, SubscriptionOptions> subscriptions, int lastPacketId, Will will, Link link,
                      long disconnectedAtMillis, Flows flows) {

    /** 5.0 Session Expiry Interval 0xFFFFFFFF: the session does not expire. */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;
    /** No deadline scheduled. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    public Session {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(version, "version");
        subscriptions = Map.copyOf(subscriptions);
        Objects.requireNonNull(flows, "flows");
    }

    /**
     * A session from every field, flat.
     *
     * @param inflight          outbound QoS 1/2 messages holding a packet identifier, in send order
     * @param queue             messages waiting for the client, for a free in-flight slot, or for a
     *                          packet identifier outside the 3.1.1 quarantine ({@link Link#resentIds()})
     * @param awaitingPubRel    inbound QoS 2 packet identifiers already handed on, awaiting PUBREL
     * @param droppedMessages   messages dropped because the queue was full
     * @param resendAtMillis    3.1.1 timed resend: when the Resend timer is due; {@link #NO_DEADLINE} if not scheduled
     */
    public Session(String clientId, ProtocolVersion version, long expirySeconds,
                   Map<String, SubscriptionOptions> subscriptions, InflightWindow inflight, MessageQueue queue,
                   PacketIdSet awaitingPubRel, int lastPacketId, Will will, Link link, long disconnectedAtMillis,
                   long droppedMessages, long resendAtMillis) {
        this(clientId, version, expirySeconds, subscriptions, lastPacketId, will, link, disconnectedAtMillis,
                Flows.of(inflight, queue, awaitingPubRel, droppedMessages, resendAtMillis));
    }

    /** A fresh session with no state, not yet attached. */
    public static Session fresh(String clientId, ProtocolVersion version, long expirySeconds) {
        return new Session(clientId, version, expirySeconds, Map.of(), 0, null, null, 0, Flows.NONE);
    }

    public InflightWindow inflight() {
        return flows.inflight();
    }

    public MessageQueue queue() {
        return flows.queue();
    }

    public PacketIdSet awaitingPubRel() {
        return flows.awaitingPubRel();
    }

    public long droppedMessages() {
        return flows.droppedMessages();
    }

    public long resendAtMillis() {
        return flows.resendAtMillis();
    }

    public boolean isOnline() {
        return link != null;
    }

    /** Whether the session ends with its connection (nothing to keep). */
    public boolean endsWithConnection() {
        return expirySeconds == 0;
    }

    // ---- withers: one per field that transitions change ----

    public Session withVersion(ProtocolVersion v) {
        return new Session(clientId, v, expirySeconds, subscriptions, lastPacketId, will, link, disconnectedAtMillis,
                flows);
    }

    public Session withExpirySeconds(long seconds) {
        return new Session(clientId, version, seconds, subscriptions, lastPacketId, will, link, disconnectedAtMillis,
                flows);
    }

    public Session withSubscriptions(Map<String, SubscriptionOptions> s) {
        return new Session(clientId, version, expirySeconds, s, lastPacketId, will, link, disconnectedAtMillis, flows);
    }

    public Session withInflight(InflightWindow w) {
        return withFlows(w, queue(), awaitingPubRel(), droppedMessages(), resendAtMillis());
    }

    /** This session with another in-flight window and link: one copy for an acknowledgement. */
    public Session withInflight(InflightWindow w, Link l) {
        return new Session(clientId, version, expirySeconds, subscriptions, lastPacketId, will, l,
                disconnectedAtMillis, Flows.of(w, queue(), awaitingPubRel(), droppedMessages(), resendAtMillis()));
    }

    public Session withSent(InflightWindow w, int packetId) {
        return new Session(clientId, version, expirySeconds, subscriptions, packetId, will, link, disconnectedAtMillis,
                Flows.of(w, queue(), awaitingPubRel(), droppedMessages(), resendAtMillis()));
    }

    public Session withQueue(MessageQueue q) {
        return withFlows(inflight(), q, awaitingPubRel(), droppedMessages(), resendAtMillis());
    }

    public Session withAwaitingPubRel(PacketIdSet ids) {
        return withFlows(inflight(), queue(), ids, droppedMessages(), resendAtMillis());
    }

    public Session withAwaitingPubRel(PacketIdSet ids, Link l) {
        return new Session(clientId, version, expirySeconds, subscriptions, lastPacketId, will, l,
                disconnectedAtMillis, Flows.of(inflight(), queue(), ids, droppedMessages(), resendAtMillis()));
    }

    public Session withWill(Will w) {
        return new Session(clientId, version, expirySeconds, subscriptions, lastPacketId, w, link, disconnectedAtMillis,
                flows);
    }

    public Session withLink(Link l) {
        return l == link ? this : new Session(clientId, version, expirySeconds, subscriptions, lastPacketId, will, l,
                disconnectedAtMillis, flows);
    }

    public Session offline(long nowMillis) {
        return new Session(clientId, version, expirySeconds, subscriptions, lastPacketId, will, null, nowMillis,
                Flows.of(inflight(), queue(), awaitingPubRel(), droppedMessages(), NO_DEADLINE));
    }

    public Session withDropped(long dropped) {
        return withFlows(inflight(), queue(), awaitingPubRel(), dropped, resendAtMillis());
    }

    public Session withResendAt(long deadline) {
        return deadline == resendAtMillis() ? this
                : withFlows(inflight(), queue(), awaitingPubRel(), droppedMessages(), deadline);
    }

    private Session withFlows(InflightWindow w, MessageQueue q, PacketIdSet ids, long dropped, long resendAt) {
        return new Session(clientId, version, expirySeconds, subscriptions, lastPacketId, will, link,
                disconnectedAtMillis, Flows.of(w, q, ids, dropped, resendAt));
    }
}
