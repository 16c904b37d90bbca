package io.checkedmqtt.broker;

import io.checkedmqtt.core.effect.ConnectionId;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Writing: every connection that got packets in a loop pass is written once at the end of it,
 * with one write through its transport; a socket that takes less resumes on OP_WRITE.
 * A connection the core closed is closed here once its last bytes (and its transport's goodbye)
 * are written, or cut when {@code close_linger_ms} passes first.
 */
final class ConnectionWriter {

    /** Shell deadline: a connection the core closed has had long enough to drain its last bytes. */
    record CloseLinger(ConnectionId connection) {
    }

    /** The one buffer of a transport write (a lone packet or the staged ones), lent to each connection in turn. */
    private final ByteBuffer[] batch = new ByteBuffer[1];
    /** Where several queued packets are copied to go out as one write, lent the same way. */
    private final ByteBuffer staging = ByteBuffer.allocateDirect(WriteQueue.STAGING_BYTES);
    private final ArrayDeque<Connection> toFlush = new ArrayDeque<>();
    private final Connections connections;
    private final Timers<Object> timers;
    private final long closeLingerMillis;
    private final BrokerLog log;

    ConnectionWriter(Connections connections, Timers<Object> timers, long closeLingerMillis, BrokerLog log) {
        this.connections = connections;
        this.timers = timers;
        this.closeLingerMillis = closeLingerMillis;
        this.log = log;
    }

    /** Writes the connection at the end of this pass (once, however many packets it got). */
    void scheduleFlush(Connection connection) {
        if (!connection.flushPending) {
            connection.flushPending = true;
            toFlush.addLast(connection);
        }
    }

    /** The next connection to write in this pass, or null when all have been. */
    Connection nextToFlush() {
        Connection next = toFlush.pollFirst();
        if (next != null) {
            next.flushPending = false;
        }
        return next;
    }

    /**
     * Writes what the connection has queued, as far as the socket takes it. Once the core has
     * closed the connection and everything is written, the transport says goodbye and the socket
     * closes; while bytes remain, a linger deadline runs.
     *
     * @throws IOException the socket failed: the caller reports the connection lost
     */
    void flush(Connection connection, long now) throws IOException {
        if (connection.closed) {
            return;
        }
        boolean drained = connection.flushQueue(batch, staging);
        if (drained && connection.closeRequested && !connection.outputClosed) {
            connection.outputClosed = true;
            connection.transport.closeOutput();
        }
        if (drained && connection.transport.hasPendingOutput()) {
            drained = writeTransportOutput(connection);
        }
        if (drained && connection.closeRequested) {
            connections.close(connection);
            if (log.connections()) {
                log.connection("disconnect " + connection.describe() + ": " + connection.closeText());
            }
            return;
        }
        if (connection.closeRequested && !connection.lingering) {
            connection.lingering = true;
            timers.schedule(new CloseLinger(connection.id), now + closeLingerMillis);
        }
    }

    /**
     * One try, without waiting, at the bytes a transport queued before it ended the stream
     * itself (a close reply, an HTTP error); the socket closes next whatever happens.
     */
    void writeLastWords(Connection connection) {
        if (!connection.closed && connection.transport.hasPendingOutput()) {
            try {
                writeTransportOutput(connection);
            } catch (IOException ignored) {
                // the peer is gone already; the socket is closed next either way
            }
        }
    }

    /** Writes the transport's own pending bytes; true when none are left. */
    private boolean writeTransportOutput(Connection connection) throws IOException {
        connection.transport.write(connection.channel, batch, 0, 0);
        return !connection.transport.hasPendingOutput();
    }
}
