package io.checkedmqtt.broker;

import io.checkedmqtt.core.effect.ConnectionId;

import io.checkedmqtt.broker.observe.Traffic;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open connections by id, and the one way a socket is closed: whoever closes it (the writer
 * after the last bytes, the core's failure, a lost socket, a deadline, the shutdown), the
 * connection leaves the table, its selection key and buffers go, and the count is updated.
 */
final class Connections {

    private final Map<ConnectionId, Connection> open = new HashMap<>();
    private final Timers<Object> timers;
    private final BrokerStats stats;
    private final Traffic traffic;

    Connections(Timers<Object> timers, BrokerStats stats, Traffic traffic) {
        this.timers = timers;
        this.stats = stats;
        this.traffic = traffic;
    }

    /** The open connection with this id, or null when it has gone. */
    Connection get(ConnectionId id) {
        return open.get(id);
    }

    /** The open connection whose session is {@code clientId}'s, or null; a scan, for rare uses only. */
    Connection withClientId(String clientId) {
        if (clientId == null) {
            return null;
        }
        for (Connection connection : open.values()) {
            if (clientId.equals(connection.clientId) && !connection.closeRequested && !connection.closed) {
                return connection;
            }
        }
        return null;
    }

    int size() {
        return open.size();
    }

    void add(Connection connection) {
        open.put(connection.id, connection);
        stats.connectionsOpen = open.size();
    }

    /** The open connections now, as a list that closing them does not disturb. */
    List<Connection> snapshot() {
        return new ArrayList<>(open.values());
    }

    /** Whether any connection still has bytes waiting for its socket. */
    boolean anyOutputQueued() {
        for (Connection connection : open.values()) {
            if (connection.hasOutput()) {
                return true;
            }
        }
        return false;
    }

    /** Closes the socket at once; whatever was queued for it is dropped. Does nothing the second time. */
    void close(Connection connection) {
        if (connection.closed) {
            return;
        }
        connection.closed = true;
        connection.key.cancel();
        closeQuietly(connection.channel);
        open.remove(connection.id);
        if (connection.lingering) {
            timers.cancel(new ConnectionWriter.CloseLinger(connection.id));
        }
        timers.cancelOwned(connection);   // its keep-alive: the connection is its own entry
        if (connection.frameTimerPending) {
            timers.cancel(new ConnectionReader.FrameTimeout(connection.id));
        }
        connection.clearQueue();
        connection.discardPartial();
        stats.connectionsOpen = open.size();
        if (connection.clientId != null) {
            traffic.clientDetached();
        }
    }

    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing useful to do: the socket is going away either way
        }
    }
}
