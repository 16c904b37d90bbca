package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.auth.ClientIdentity;
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
 * <p>What the core knows about a connection is in one place. Until its CONNECT is accepted, a
 * connection is only in {@code awaitingConnect}: the first packet must be CONNECT
 * [v3.1.1 MQTT-3.1.0-1; v5 MQTT-3.1.0-1]. From then on everything the core knows about it
 * (keep-alive, limits, topic aliases) is the {@link io.checkedmqtt.core.session.Link} of the
 * session it carries, and {@code attached} is just the index from the connection to that
 * session's client identifier. A connection in neither map is closed, or was never opened.
 *
 * @param sessions        every session, online or offline, by client identifier
 * @param awaitingConnect connections open but without an accepted CONNECT, with when they opened
 * @param attached        connections whose CONNECT was accepted, with the client identifier of
 *                        the session they carry
 * @param router          subscriptions, retained messages, share-group cursors
 * @param assignedIds     how many client identifiers the server has assigned so far
 * @param access          who the clients are: user names, enhanced authentication, publish pace
 * @param holdings        what the sessions hold together, for the memory budget: kept equal to
 *                        {@code Holdings.of(sessions.values())} (plus the drops) by {@link #withSession}
 */
public record BrokerState(PersistentMap<String, Session> sessions,
                          PersistentMap<ConnectionId, Long> awaitingConnect,
                          PersistentMap<ConnectionId, String> attached,
                          Router router, long assignedIds, AccessState access, Holdings holdings) {

    public BrokerState {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(awaitingConnect, "awaitingConnect");
        Objects.requireNonNull(attached, "attached");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(holdings, "holdings");
    }

    /** No sessions, no connections, an empty router with every feature on. */
    public BrokerState() {
        this(PersistentMap.empty(), PersistentMap.empty(), PersistentMap.empty(), Router.empty(), 0, AccessState.EMPTY,
                Holdings.NONE);
    }

    /** The session of this client, or null. */
    public Session session(String clientId) {
        return sessions.get(clientId);
    }

    /** Whether the connection is open and has not had its CONNECT accepted yet. */
    public boolean awaitsConnect(ConnectionId connection) {
        return awaitingConnect.containsKey(connection);
    }

    /** The client identifier of the session this connection carries, or null when it carries none. */
    public String clientOn(ConnectionId connection) {
        return attached.get(connection);
    }

    /**
     * The session this connection carries now, or null: none was attached, or the session moved
     * on (it was taken over, or went offline) and inputs from the connection are stale.
     */
    public Session sessionOn(ConnectionId connection) {
        String clientId = attached.get(connection);
        Session s = clientId == null ? null : sessions.get(clientId);
        return s != null && s.isOnline() && s.link().connection().equals(connection) ? s : null;
    }

    /** How many connections are open: awaiting CONNECT or attached. */
    public int openConnections() {
        return awaitingConnect.size() + attached.size();
    }

    /** Whether the client has a live connection now. */
    public boolean isConnected(String clientId) {
        Session s = sessions.get(clientId);
        return s != null && s.isOnline();
    }

    public BrokerState withSession(String clientId, Session session) {
        return withSession(clientId, sessions.get(clientId), session);
    }

    /**
     * This state with the session of {@code clientId} changed from {@code before}, which must be
     * the session stored now (or null when there is none), to {@code session} (null: removed).
     */
    BrokerState withSession(String clientId, Session before, Session session) {
        PersistentMap<String, Session> next = session == null ? sessions.remove(clientId)
                : sessions.put(clientId, session);
        return new BrokerState(next, awaitingConnect, attached, router, assignedIds,
                session == null ? access.withUsername(clientId, null) : access, holdings.change(before, session));
    }

    /** This state with one more message counted as dropped for the memory budget. */
    BrokerState withDroppedForBudget() {
        return new BrokerState(sessions, awaitingConnect, attached, router, assignedIds, access, holdings.dropped());
    }

    /** This state with a newly opened connection that waits for its CONNECT. */
    public BrokerState withAwaitingConnect(ConnectionId connection, long openedAtMillis) {
        return new BrokerState(sessions, awaitingConnect.put(connection, openedAtMillis), attached, router,
                assignedIds, access, holdings);
    }

    /** This state with the connection's CONNECT accepted: it carries the session of {@code clientId}. */
    public BrokerState withAttached(ConnectionId connection, String clientId) {
        return new BrokerState(sessions, awaitingConnect.remove(connection), attached.put(connection, clientId),
                router, assignedIds, access, holdings);
    }

    /** This state without the connection: it is closed. */
    public BrokerState withoutConnection(ConnectionId connection) {
        return new BrokerState(sessions, awaitingConnect.remove(connection), attached.remove(connection), router,
                assignedIds, access.withoutConnection(connection),
                holdings);
    }

    public BrokerState withRouter(Router r) {
        return r == router ? this : new BrokerState(sessions, awaitingConnect, attached, r, assignedIds, access, holdings);
    }

    public BrokerState withAssignedIds(long n) {
        return new BrokerState(sessions, awaitingConnect, attached, router, n, access, holdings);
    }

    /** How many connections carry a session: the count {@code max_connections} caps. */
    public int connectedClients() {
        return attached.size();
    }

    /** Who {@code clientId} is for the access rules: its identifier and authenticated user name. */
    public ClientIdentity identity(String clientId) {
        return access.identity(clientId);
    }

    BrokerState withAccess(AccessState a) {
        return a == access ? this : new BrokerState(sessions, awaitingConnect, attached, router, assignedIds, a, holdings);
    }
}
