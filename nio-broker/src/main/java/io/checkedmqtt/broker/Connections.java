package io.checkedmqtt.broker;

import io.checkedmqtt.core.effect.ConnectionId;

import io.checkedmqtt.broker.observe.Traffic;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open connections by id, and the one way a socket is closed: whoever closes it (the writer
 * after the last bytes, the core's failure, a lost socket, a deadline, the shutdown), the
 * connection leaves the table, its selection key and buffers go, and the count is updated.
 *
 * <p><b>Why the socket itself closes one select later.</b> The JDK cannot close a socket whose key
 * is still registered with a selector (a cancelled key stays registered until the next select): it
 * asks the socket for SO_LINGER and shuts its output down instead (two more system calls), and the
 * selector closes the descriptor later. So {@link #close} cancels the key and parks the socket;
 * the loop's next select deregisters the key, and {@link #closeDeregistered} then closes each
 * parked socket with one close(2), which sends the FIN as the shutdown did. The loop does not
 * sleep while sockets are parked ({@link #socketsAwaitingClose}), so a client waits no longer.
 */
final class Connections {

    private final Map<ConnectionId, Connection> open = new HashMap<>();
    /** Sockets of closed connections whose cancelled keys the selector has not deregistered yet. */
    private final List<SocketChannel> awaitingClose = new ArrayList<>();
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
        awaitingClose.add(connection.channel);   // closed after the next select: see the class comment
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

    /** True while a closed connection's socket waits for the next select ({@link #closeDeregistered}). */
    boolean socketsAwaitingClose() {
        return !awaitingClose.isEmpty();
    }

    /**
     * Closes the sockets parked by {@link #close}; called right after a select (or once the
     * selector is closed), when their keys are deregistered and a close is a close(2) alone. A
     * socket still registered is closed all the same, the JDK's way.
     */
    void closeDeregistered() {
        for (SocketChannel channel : awaitingClose) {
            closeQuietly(channel);
        }
        awaitingClose.clear();
    }

    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing useful to do: the socket is going away either way
        }
    }
}
