package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.routing.Router;
import io.checkedmqtt.core.session.Session;

import java.util.Objects;

/**
 * The whole broker as one immutable value: sessions by client identifier, open connections,
 * the router (subscriptions and retained messages) and the counter behind server-assigned
 * client identifiers. Every transition of {@link BrokerCore} maps one state to the next. The
 * maps are persistent (structurally shared), so one step costs O(log n), not a copy.
 *
 * @param sessions        every session, online or offline, by client identifier
 * @param connections     every open connection the core knows
 * @param router          subscriptions, retained messages, share-group cursors
 * @param assignedIds     how many client identifiers the server has assigned so far
 */
public record BrokerState(PersistentMap<String, Session> sessions,
                          PersistentMap<ConnectionId, ConnectionState> connections,
                          Router router, long assignedIds) {

    public BrokerState {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(router, "router");
    }

    /** No sessions, no connections, an empty router with every feature on. */
    public BrokerState() {
        this(PersistentMap.empty(), PersistentMap.empty(), Router.empty(), 0);
    }

    /** The session of this client, or null. */
    public Session session(String clientId) {
        return sessions.get(clientId);
    }

    /** What is known about this connection, or null when it is closed or unknown. */
    public ConnectionState connection(ConnectionId id) {
        return connections.get(id);
    }

    /** Whether the client has a live connection now. */
    public boolean isConnected(String clientId) {
        Session s = sessions.get(clientId);
        return s != null && s.isOnline();
    }

    public BrokerState withSession(String clientId, Session session) {
        PersistentMap<String, Session> next = session == null ? sessions.remove(clientId)
                : sessions.put(clientId, session);
        return new BrokerState(next, connections, router, assignedIds);
    }

    public BrokerState withConnection(ConnectionId id, ConnectionState state) {
        PersistentMap<ConnectionId, ConnectionState> next = state == null ? connections.remove(id)
                : connections.put(id, state);
        return new BrokerState(sessions, next, router, assignedIds);
    }

    public BrokerState withRouter(Router r) {
        return r == router ? this : new BrokerState(sessions, connections, r, assignedIds);
    }

    public BrokerState withAssignedIds(long n) {
        return new BrokerState(sessions, connections, router, n);
    }
}
