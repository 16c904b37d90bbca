package io.checkedmqtt.core.conformance;

import io.checkedmqtt.core.collect.PersistentMap;
import io.checkedmqtt.core.effect.ConnectionId;

import java.util.Objects;

/**
 * Every watched client's {@link ClientWatch}, by client identifier, and the connections they are
 * on now. Part of the broker state; empty (and untouched) while nobody is watched.
 *
 * @param clients     by client identifier: every client watched since the broker started
 * @param connections the connection each watched client is on now
 */
public record Watch(PersistentMap<String, ClientWatch> clients, PersistentMap<ConnectionId, String> connections) {

    public static final Watch EMPTY = new Watch(PersistentMap.empty(), PersistentMap.empty());

    public Watch {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(connections, "connections");
    }

    public ClientWatch client(String clientId) {
        return clients.get(clientId);
    }

    /** The watch of the client on this connection, or null when nobody watched is on it. */
    public ClientWatch on(ConnectionId connection) {
        String clientId = connections.get(connection);
        return clientId == null ? null : clients.get(clientId);
    }

    /** The report of a client, or an empty one when it was never watched. */
    public ClientReport report(String clientId) {
        ClientWatch w = clients.get(clientId);
        return w == null ? ClientReport.EMPTY : w.report();
    }

    /** Every watched client's report, by client identifier, in no particular order. */
    public java.util.Map<String, ClientReport> reports() {
        java.util.Map<String, ClientReport> all = new java.util.HashMap<>();
        for (ClientWatch w : clients.values()) {
            all.put(w.clientId(), w.report());
        }
        return all;
    }

    /** This watch with the client's watch replaced, and its connection index kept true. */
    public Watch with(ClientWatch w) {
        ClientWatch before = clients.get(w.clientId());
        PersistentMap<ConnectionId, String> conns = connections;
        if (before != null && before.connection() != null && !before.connection().equals(w.connection())) {
            conns = conns.remove(before.connection());
        }
        if (w.connection() != null) {
            conns = conns.put(w.connection(), w.clientId());
        }
        return new Watch(clients.put(w.clientId(), w), conns);
    }
}
