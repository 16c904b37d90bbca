package io.checkedmqtt.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;

/**
 * Turns one connection's socket bytes into its MQTT byte stream and back. The loop, the framing
 * and the core see the same MQTT bytes whatever a listener speaks: plain TCP
 * ({@link PlainTransport}), TLS, WebSocket, or WebSocket over TLS (a WebSocket transport that
 * reaches the socket through a TLS one). A transport knows nothing of MQTT packets, and the loop
 * knows nothing of records, frames or handshakes.
 *
 * <h2>Who calls what, and in what order</h2>
 * Only the loop thread calls a transport, one method at a time, and never after the socket has
 * been closed.
 * <ol>
 *   <li>{@link Factory#open} once, when a listener has accepted the socket, before anything else.
 *       The core's CONNECT timeout starts at the same moment.</li>
 *   <li>{@link #read} whenever the socket is readable and the connection takes input; then again
 *       at once, without waiting for the socket, for as long as {@link #hasBufferedInput} is true
 *       and the connection still takes input.</li>
 *   <li>{@link #write} whenever the connection has MQTT bytes queued or {@link #hasPendingOutput}
 *       is true: at the end of each loop pass that queued packets or in which {@code read} left
 *       output pending, and when the socket reports OP_WRITE. {@code length} may be 0: then only
 *       the transport's own pending bytes are written.</li>
 *   <li>{@link #closeOutput} once, when the core has closed the connection and every MQTT byte
 *       queued before has been written. The loop then writes until {@link #hasPendingOutput} is
 *       false, or until {@code close_linger_ms} has passed, and closes the socket.</li>
 * </ol>
 * A socket that fails, ends, or is cut by a deadline or a shutdown is closed without
 * {@code closeOutput}: there is nobody left to say goodbye to.
 *
 * <h2>What the loop promises</h2>
 * <ul>
 *   <li>MQTT bytes reach {@code write} only after {@code read} has delivered MQTT bytes: the core
 *       answers a CONNECT and never speaks first. So a transport takes MQTT bytes only once its
 *       handshake is over, and needs no queue of its own for them.</li>
 *   <li>While the connection's queue towards the client is over {@code max_outbound_bytes} (or
 *       its input is paused for any other reason), the loop does not call {@code read}, and it
 *       does not select OP_READ: what the transport buffers waits with it.</li>
 *   <li>{@code mqtt} in {@code read} is empty, in write mode, with at least one byte free (64
 *       bytes or more; the loop lends one buffer of {@code read_buffer_bytes} to every socket in
 *       turn, so nothing may be kept of it between calls).</li>
 * </ul>
 *
 * <h2>What a transport may do, and must not</h2>
 * <ul>
 *   <li>It may write bytes of its own to the socket inside {@code read} and {@code write}: TLS
 *       handshake records produced while reading, an HTTP Upgrade response, a pong, an alert, a
 *       close frame. What the socket does not take stays pending: the loop keeps OP_WRITE
 *       selected and does not close the socket politely while {@code hasPendingOutput} is true.
 *       Its own bytes go out before any MQTT bytes that follow them.</li>
 *   <li>In {@code write} it stops consuming MQTT bytes only when the socket takes no more; for
 *       any other reason (a protocol step that needs input first, such as a TLS renegotiation) it
 *       must refuse and end the connection instead, or the loop would spin on OP_WRITE.</li>
 *   <li>It ends a connection itself by returning {@link #END_OF_STREAM} from {@code read}, after
 *       queueing any goodbye of its own (close_notify, a close frame, an HTTP error response):
 *       the loop writes that once, without waiting, then reports the connection lost to the
 *       core. An {@link IOException} means the socket itself failed: nothing more is written.</li>
 *   <li>It needs no timer: a handshake that never finishes delivers no MQTT bytes, so the core's
 *       CONNECT timeout, which runs from accept, closes the connection.</li>
 *   <li>It never blocks, starts threads or sleeps; it may run an SSLEngine's delegated tasks in
 *       place.</li>
 * </ul>
 */
interface Transport {

    /** What {@link #read} returns when the stream has ended: the peer closed it, or the transport did. */
    int END_OF_STREAM = -1;

    /**
     * Reads what the socket has, without blocking (a plain transport: one read), and appends the
     * MQTT bytes it carried to {@code mqtt}, as many as fit.
     *
     * @param socket the connection's socket, non-blocking
     * @param mqtt   where the MQTT bytes go: empty, in write mode. A transport that needs more room
     *               at once (an SSLEngine unwraps only into its application buffer size) unwraps
     *               into a buffer of its own and hands on from there
     * @return the number of MQTT bytes appended (0 when the socket had nothing, or only handshake
     *         or control bytes), or {@link #END_OF_STREAM}
     */
    int read(ReadableByteChannel socket, ByteBuffer mqtt) throws IOException;

    /**
     * True when the transport holds input it has not handed on yet (MQTT bytes that did not fit
     * in {@code mqtt}, or whole records or frames already read): the loop calls {@link #read}
     * again without waiting for the socket, until a call appends nothing. A partial record or
     * frame, which only more socket bytes can complete, is not buffered input in this sense.
     */
    boolean hasBufferedInput();

    /**
     * Writes the transport's own pending bytes, then as many of the MQTT bytes in
     * {@code mqtt[offset .. offset + length)} as the socket takes, with as few system calls as
     * the protocol allows (a plain transport makes one gathering write). Consumed MQTT bytes are
     * those between each buffer's old and new position; the loop offers the rest again, first
     * and in the same order, at the next call, so a frame whose payload the socket took only
     * part of can be continued there.
     *
     * @return the number of MQTT bytes consumed; fewer than offered only when the socket is full
     */
    long write(GatheringByteChannel socket, ByteBuffer[] mqtt, int offset, int length) throws IOException;

    /** True while bytes of the transport's own (handshake, control frames, the goodbye, the tail of a record) wait for the socket. */
    boolean hasPendingOutput();

    /**
     * The MQTT stream towards the client has ended: queue whatever the protocol says goodbye with
     * (a TLS close_notify, a WebSocket close frame), to be written by the following {@link #write}
     * calls. Called once; nothing is written after it but those bytes.
     */
    void closeOutput();

    /**
     * Why the transport ended the stream, for the log line (a TLS alert, a WebSocket close
     * status, a refused upgrade); null when the peer simply closed it.
     */
    default String endReason() {
        return null;
    }

    /** Makes the transport of each socket a listener accepts. */
    interface Factory {

        /** The transport for a socket just accepted (non-blocking, TCP_NODELAY set); called once per socket. */
        Transport open(SocketChannel socket) throws IOException;
    }
}
