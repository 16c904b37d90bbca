package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.routing.RetainedMessage;
import io.checkedmqtt.core.routing.Subscriber;
import io.checkedmqtt.core.session.InflightMessage;
import io.checkedmqtt.core.session.QueuedMessage;
import io.checkedmqtt.core.session.Session;
import io.checkedmqtt.core.topic.TopicFilter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link BrokerState} holds, read out as plain values for the shell's HTTP API, its
 * metrics and its {@code $SYS} topics. Every method is a pure function of one state: the state
 * is an immutable value, so a reader needs no lock and sees one consistent moment, however long
 * it takes to read it. The shell may use these values and the packets in them, never the
 * sessions and routing structures behind them.
 */
public final class BrokerView {

    private BrokerView() {
    }

    /**
     * Broker-wide counts.
     *
     * @param openConnections connections open in the core: awaiting CONNECT or attached
     * @param connectedClients sessions with a live connection
     * @param sessions        every session, online or offline
     * @param subscriptions   entries of the subscription index (one per client and filter)
     * @param retained        retained messages
     * @param inflight        outbound QoS 1/2 messages holding a packet identifier, all sessions
     * @param queued          messages waiting in session queues
     * @param queuedBytes     bytes of those messages (payload, topic and properties, as {@code max_queued_bytes} counts them)
     */
    public record Totals(int openConnections, int connectedClients, int sessions, int subscriptions, int retained,
                         long inflight, long queued, long queuedBytes) {
    }

    /**
     * One session, as a row of the clients table.
     *
     * @param connection           the connection it is attached to; null while offline
     * @param keepAliveSeconds     the Keep Alive in force; 0 while offline or when off
     * @param expirySeconds        the Session Expiry Interval (3.1.1: 0 for CleanSession=1, else
     *                             {@link Session#NEVER_EXPIRES})
     * @param disconnectedAtMillis when its last connection ended (core time); meaningful offline
     * @param lastPacketAtMillis   when the client's last packet arrived (core time); 0 offline
     * @param dropped              messages its queue had no room for
     */
    public record Client(String clientId, ProtocolVersion version, ConnectionId connection, long keepAliveSeconds,
                         long expirySeconds, long disconnectedAtMillis, long lastPacketAtMillis, int inflight,
                         int queued, long queuedBytes, long dropped, int subscriptions) {

        public boolean connected() {
            return connection != null;
        }
    }

    /**
     * A message the broker holds: in flight towards a client, queued for it, or retained.
     *
     * @param stage    {@code awaiting PUBACK}, {@code awaiting PUBREC}, {@code awaiting PUBCOMP},
     *                 {@code queued} or {@code retained}
     * @param atMillis when it was last sent (in flight) or received by the broker (core time)
     */
    public record Message(Publish publish, String stage, long atMillis) {
    }

    /** One session in full: its row, its subscriptions by filter, its in-flight and queued messages, oldest first. */
    public record ClientDetail(Client client, List<Subscription> subscriptions, List<Message> inflight,
                               List<Message> queued, String willTopic) {
    }

    /** A Topic Filter of the subscription index and how many clients hold it. */
    public record Topic(String topicFilter, int subscribers) {
    }

    /** Counts over the whole state; O(sessions). */
    public static Totals totals(BrokerState state) {
        long inflight = 0;
        long queued = 0;
        long queuedBytes = 0;
        for (Map.Entry<String, Session> e : state.sessions()) {
            Session s = e.getValue();
            inflight += s.inflight().size();
            queued += s.queue().size();
            queuedBytes += s.queue().bytes();
        }
        return new Totals(state.openConnections(), state.attached().size(), state.sessions().size(),
                state.router().index().size(), state.router().retained().size(), inflight, queued, queuedBytes);
    }

    /**
     * The client identifiers of every session, sorted: a page of the clients table needs the
     * order of all of them but the rows of a few ({@link #clientRow}).
     */
    public static List<String> clientIds(BrokerState state) {
        String[] ids = new String[state.sessions().size()];
        int i = 0;
        for (String clientId : state.sessions().keys()) {
            ids[i++] = clientId;
        }
        Arrays.sort(ids);
        return Arrays.asList(ids);
    }

    /** The row of the session of {@code clientId}, or null when there is none. */
    public static Client clientRow(BrokerState state, String clientId) {
        Session s = state.session(clientId);
        return s == null ? null : row(s);
    }

    /** The session of {@code clientId} in full, or null when there is none. */
    public static ClientDetail client(BrokerState state, String clientId) {
        Session s = state.session(clientId);
        if (s == null) {
            return null;
        }
        List<Subscription> subscriptions = new ArrayList<>();
        for (Map.Entry<String, SubscriptionOptions> e : new TreeMap<>(s.subscriptions()).entrySet()) {
            subscriptions.add(new Subscription(e.getKey(), e.getValue()));
        }
        List<Message> inflight = new ArrayList<>(s.inflight().size());
        for (InflightMessage m : s.inflight()) {
            inflight.add(new Message(m.publish(), stageOf(m), m.sentAtMillis()));
        }
        List<Message> queued = new ArrayList<>(s.queue().size());
        for (QueuedMessage m : s.queue().toList()) {
            queued.add(new Message(m.publish(), "queued", m.receivedAtMillis()));
        }
        return new ClientDetail(row(s), subscriptions, inflight, queued, s.will() == null ? null : s.will().topic());
    }

    /**
     * The retained messages whose topics {@code filter} matches (every one for null), sorted by
     * topic, expired ones included until the broker reclaims them.
     *
     * @throws IllegalArgumentException when {@code filter} is not a valid Topic Filter; the message says why
     */
    public static List<Message> retained(BrokerState state, String filter) {
        if (filter != null) {
            String error = TopicFilter.syntaxError(filter, ProtocolVersion.MQTT_3_1_1);
            if (error != null) {
                throw new IllegalArgumentException(error);
            }
        }
        List<RetainedMessage> stored = filter == null ? state.router().retained().all()
                : state.router().retained().matching(filter);
        List<Message> out = new ArrayList<>(stored.size());
        for (RetainedMessage m : stored) {
            out.add(new Message(m.publish(), "retained", m.receivedAtMillis()));
        }
        out.sort(Comparator.comparing(m -> m.publish().topic()));
        return out;
    }

    /** The retained message of exactly {@code topic}, or null. */
    public static Message retainedOn(BrokerState state, String topic) {
        RetainedMessage m = state.router().retained().get(topic);
        return m == null ? null : new Message(m.publish(), "retained", m.receivedAtMillis());
    }

    /** The Topic Filters of the subscription index (shared ones as {@code $share/g/f}), sorted, with their subscribers. */
    public static List<Topic> topics(BrokerState state) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Subscriber s : state.router().index().all()) {
            counts.merge(s.topicFilter(), 1, Integer::sum);
        }
        List<Topic> out = new ArrayList<>(counts.size());
        counts.forEach((filter, n) -> out.add(new Topic(filter, n)));
        return out;
    }

    private static Client row(Session s) {
        boolean online = s.isOnline();
        return new Client(s.clientId(), s.version(), online ? s.link().connection() : null,
                online ? s.link().keepAliveMillis() / 1000 : 0, s.expirySeconds(), s.disconnectedAtMillis(),
                online ? s.link().lastPacketAtMillis() : 0, s.inflight().size(), s.queue().size(), s.queue().bytes(),
                s.droppedMessages(), s.subscriptions().size());
    }

    private static String stageOf(InflightMessage m) {
        return switch (m.stage()) {
            case AWAITING_PUBACK -> "awaiting PUBACK";
            case AWAITING_PUBREC -> "awaiting PUBREC";
            case AWAITING_PUBCOMP -> "awaiting PUBCOMP";
        };
    }
}
