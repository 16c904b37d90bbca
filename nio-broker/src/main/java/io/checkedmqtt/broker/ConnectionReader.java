package io.checkedmqtt.broker;

import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.broker.observe.Traffic;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Reading and framing: takes a connection's MQTT bytes from its transport, decodes every
 * complete frame and hands it to the core, and keeps the bytes of a frame that has not fully
 * arrived in a {@link PartialFrame}. The decoder's {@link DecodeResult} is used as it comes: it
 * has already consumed a decoded frame, and consumed nothing otherwise.
 *
 * <p>Three bounds keep what a client can make the broker hold:
 * <ul>
 *   <li>back-pressure: a connection whose queue towards the client has reached
 *       {@code max_outbound_bytes}, or that has bytes queued while all queues together are at
 *       {@code budget_outbound_bytes}, is not read (and not decoded further) until the writer
 *       drains it, so a client cannot make the broker buffer replies without bound;</li>
 *   <li>the {@link InboundBudget} of partial frames, all connections together
 *       ({@code budget_partial_bytes}): a frame whose declared length does not fit waits, unread
 *       (without OP_READ), until it does;</li>
 *   <li>the frame timeout ({@code frame_timeout_ms}): a frame whose bytes have not all arrived
 *       that long after its first one ends its connection, as a CONNECT that never comes does,
 *       so stalled frames give their bytes back.</li>
 * </ul>
 * Publisher flow control stops reading the same way, for as long as the core holds the connection
 * ({@code Effect.PauseReading} to {@code ResumeReading}).
 */
final class ConnectionReader {

    /** Shell deadline: the frame at the front of a connection's partial input began this long ago. */
    record FrameTimeout(ConnectionId connection) {
    }

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** One read buffer for every socket: an idle connection holds no buffer of its own. */
    private final ByteBuffer readBuffer;
    /** Stateless: one serves every connection. */
    private final MqttDecoder decoder;
    private final long maxOutboundBytes;
    private final long frameTimeoutMillis;
    private final InboundBudget budget;
    private final OutboundBudget outbound;
    private final CoreRunner core;
    private final ConnectionWriter writer;
    private final Timers<Object> timers;
    private final BrokerLog log;
    private final BrokerStats stats;
    private final Traffic traffic;
    private final ClientTesting testing;
    /** Connections not read until the partial-frame budget has room again, oldest first. */
    private final ArrayDeque<Connection> waitingForRoom = new ArrayDeque<>();
    /** The first bytes of a held frame, to read its length from: up to a whole fixed header. */
    private final byte[] header = new byte[5];
    private final ByteBuffer headerView = ByteBuffer.wrap(header);
    /** Set once the broker is stopping: nobody is read any more. */
    private boolean stopped;

    ConnectionReader(BrokerSettings settings, CoreRunner core, ConnectionWriter writer, Timers<Object> timers,
                     InboundBudget budget, OutboundBudget outbound, BrokerLog log, BrokerStats stats,
                     Traffic traffic, ClientTesting testing) {
        this.traffic = traffic;
        this.testing = testing;
        this.readBuffer = ByteBuffer.allocate(settings.readBufferBytes());
        this.decoder = new MqttDecoder(settings.core().maximumPacketSize(), settings.core().budget().maxUserProperties());
        this.maxOutboundBytes = settings.maxOutboundBytes();
        this.frameTimeoutMillis = settings.frameTimeoutMillis();
        this.budget = budget;
        this.outbound = outbound;
        this.core = core;
        this.writer = writer;
        this.timers = timers;
        this.log = log;
        this.stats = stats;
    }

    /**
     * Whether the loop should read from this connection now: not while its own queue towards the
     * client is at {@code max_outbound_bytes}, nor while it has bytes queued and all queues together
     * are at their budget.
     */
    boolean wantsInput(Connection connection) {
        long queued = connection.queuedBytes();
        return !connection.inputEnded && !connection.closeRequested && !connection.closed && !stopped
                && !connection.faultHold && !connection.waitingForRoom && !connection.heldByFlowControl
                && queued < maxOutboundBytes && (queued == 0 || !outbound.reached());
    }

    /** The broker is stopping: read from nobody from now on. */
    void stop() {
        stopped = true;
    }

    /** The socket is readable: read and decode, and go on while the transport holds more input. */
    void read(Connection connection, long now) {
        if (!wantsInput(connection)) {
            connection.updateInterest(false);
            return;
        }
        while (readOnce(connection, now) && connection.transport.hasBufferedInput()) {
            if (!wantsInput(connection)) {
                connection.inputPaused = true;   // the transport keeps the rest until the client drains
                return;
            }
        }
    }

    /** Input paused by back-pressure may hold whole frames; decode them once the client drains. */
    void resume(Connection connection, long now) {
        connection.inputPaused = false;
        if (connection.partial != null && wantsInput(connection)) {
            feed(connection, NOTHING, now);
        }
        if (!connection.inputPaused && wantsInput(connection) && connection.transport.hasBufferedInput()) {
            read(connection, now);
        }
    }

    /**
     * Once per loop pass: connections that wait for the partial-frame budget are read again, oldest
     * first, as soon as their frame's claim fits (or, holding none, once there is room).
     */
    void resumeWaiting(long now) {
        while (!waitingForRoom.isEmpty()) {
            Connection connection = waitingForRoom.peekFirst();
            if (!connection.closed && !mayResume(connection)) {
                return;   // the oldest goes first: a large frame is not overtaken for ever by small ones
            }
            waitingForRoom.pollFirst();
            connection.waitingForRoom = false;
            if (connection.closed) {
                continue;
            }
            boolean wants = wantsInput(connection);
            connection.updateInterest(wants);
            if (wants && connection.transport.hasBufferedInput()) {
                read(connection, now);
            }
        }
    }

    private boolean mayResume(Connection connection) {
        PartialFrame held = connection.partial;
        return held == null ? budget.hasRoom() : held.claimFrame(frontFrameLength(connection));
    }

    /** The declared length of the frame at the front of the held input; 0 while its header is incomplete. */
    private int frontFrameLength(Connection connection) {
        int length = decoder.frameLength(headerView.clear().limit(connection.partial.peek(header, NOTHING)),
                connection.version);
        return Math.max(length, 0);
    }

    /** Stops reading a connection until the partial-frame budget has room for it. */
    private void waitForRoom(Connection connection) {
        connection.waitingForRoom = true;
        waitingForRoom.addLast(connection);
        connection.updateInterest(false);
    }

    /** One read from the transport and the frames it completed; false when nothing came or the connection ended. */
    private boolean readOnce(Connection connection, long now) {
        // a frame under way has its claim (or its connection would be waiting): it may be read to its end
        int allowance = connection.partial != null ? readBuffer.capacity() : budget.readAllowance(readBuffer.capacity());
        if (allowance == 0) {
            waitForRoom(connection);
            return false;
        }
        ByteBuffer buffer = readBuffer;
        buffer.clear().limit(allowance);
        int count;
        try {
            count = connection.transport.read(connection.channel, buffer);
        } catch (IOException e) {
            core.lost(connection, "read failed: " + e.getMessage(), now);
            return false;
        } catch (RuntimeException e) {
            // a transport's bug ends its own connection, not the loop
            log.error("transport failed reading from " + connection.describe(), e);
            core.lost(connection, "transport failed: " + e, now);
            return false;
        }
        if (connection.transport.hasPendingOutput()) {
            writer.scheduleFlush(connection);   // a handshake or control reply the transport made while reading
        }
        if (count == Transport.END_OF_STREAM) {
            writer.writeLastWords(connection);
            String reason = connection.transport.endReason();
            core.lost(connection, reason == null ? "closed by client" : reason, now);
            return false;
        }
        if (count == 0) {
            return false;
        }
        connection.bytesIn += count;
        traffic.bytesIn(count);
        feed(connection, buffer.flip(), now);
        return !connection.closed;
    }

    /**
     * Decodes every complete frame of what the connection holds followed by {@code more}, and
     * keeps the rest. A frame that began in an earlier read is put together from the held bytes
     * and just as many of {@code more}; the frames after it are decoded where they lie.
     */
    private void feed(Connection connection, ByteBuffer more, long now) {
        while (connection.partial != null && wantsInput(connection)) {
            PartialFrame held = connection.partial;
            int known = held.peek(header, more);
            int length = decoder.frameLength(headerView.clear().limit(known), connection.version);
            if (length == MqttDecoder.HEADER_INCOMPLETE_LENGTH || held.bytes() + more.remaining() < length) {
                break;   // the frame has not fully arrived
            }
            // a refused fixed header is decoded from its own bytes, which is where the decoder refuses it
            ByteBuffer frame = held.take(length == MqttDecoder.REFUSED_LENGTH ? known : length, more, now);
            if (held.bytes() == 0) {
                connection.partial = null;
            }
            decodeFrames(connection, frame, now);
        }
        if (connection.partial == null) {
            decodeFrames(connection, more, now);
        }
        keepUndecoded(connection, more, now);
        if (connection.partial != null && !connection.inputPaused
                && !connection.partial.claimFrame(frontFrameLength(connection))) {
            waitForRoom(connection);
        }
    }

    /** Feeds every complete frame in {@code input} to the core, stopping early when input must pause. */
    private void decodeFrames(Connection connection, ByteBuffer input, long now) {
        while (input.hasRemaining() && wantsInput(connection)) {
            DecodeResult result;
            try {
                result = decoder.decode(input, connection.version);
            } catch (RuntimeException e) {
                // a decoder bug must not take the loop down; the input is unusable either way
                log.error("decoder failed on input from " + connection.describe(), e);
                result = new DecodeResult.DecodeError(ReasonCode.MALFORMED_PACKET, "", "decoder failed: " + e);
            }
            if (result instanceof DecodeResult.Decoded decoded) {
                // the client-testing hook: traces and the verbose log, fault rules on the way in
                ClientTesting.Inbound fate = testing.active() ? testing.inbound(connection, decoded.packet(), now)
                        : ClientTesting.Inbound.DELIVER;
                if (fate == ClientTesting.Inbound.SKIP) {
                    continue;
                }
                stats.packetsIn++;
                if (decoded.packet() instanceof Publish publish) {
                    traffic.publishIn(publish.qos().value(), decoded.frameLength());
                }
                if (connection.trail != null) {
                    connection.trail.record(false, decoded.packet(), decoded.frameLength(), now);
                }
                core.packetReceived(connection, decoded.packet(), now);
                if (fate == ClientTesting.Inbound.DELIVER_THEN_CUT) {
                    core.cut(connection, connection.tested.cut, now);
                    return;
                }
            } else if (result instanceof DecodeResult.DecodeError error) {
                malformed(connection, input, error, now);
                return;
            } else {
                return;   // the frame has not fully arrived
            }
        }
    }

    /** Nothing after malformed input is read; the core decides what the client is told. */
    private void malformed(Connection connection, ByteBuffer input, DecodeResult.DecodeError error, long now) {
        stats.malformedInputs++;
        connection.inputEnded = true;
        input.position(input.limit());
        String detail = (error.statement().isEmpty() ? "" : "[" + error.statement() + "] ") + error.message();
        log.connection("bad input from " + connection.describe() + ": " + error.reason() + " " + detail);
        core.malformedPacket(connection, error.reason(), detail, error.version(), now);
    }

    /** Keeps the bytes of a frame that has not fully arrived (or that wait for back-pressure to end). */
    private void keepUndecoded(Connection connection, ByteBuffer input, long now) {
        if (connection.closed || connection.inputEnded || connection.closeRequested) {
            connection.discardPartial();
            return;
        }
        if (input.hasRemaining()) {
            if (connection.partial == null) {
                connection.partial = new PartialFrame(budget, now);
                scheduleFrameTimeout(connection, now + frameTimeoutMillis);
            }
            connection.partial.add(input);
        }
        // held input while the connection may not be read holds whole frames to decode later
        connection.inputPaused = connection.partial != null && !wantsInput(connection);
    }

    private void scheduleFrameTimeout(Connection connection, long deadline) {
        if (!connection.frameTimerPending) {
            connection.frameTimerPending = true;
            timers.schedule(new FrameTimeout(connection.id), deadline);
        }
    }

    /**
     * The frame timeout of a connection came due: if the frame at the front of its partial input
     * began {@code frame_timeout_ms} ago and has still not fully arrived, the connection ends, as
     * a lost one does (its will goes out; 5.0 has no DISCONNECT reason for it). Frames that are
     * whole and wait for back-pressure to end are not stalled.
     */
    void frameDeadline(Connection connection, long now) {
        connection.frameTimerPending = false;
        PartialFrame held = connection.partial;
        if (held == null || connection.closed) {
            return;
        }
        long due = held.startedAtMillis() + frameTimeoutMillis;
        if (now < due) {
            scheduleFrameTimeout(connection, due);
            return;
        }
        int length = frontFrameLength(connection);
        if (length > 0 && held.bytes() >= length) {
            scheduleFrameTimeout(connection, now + frameTimeoutMillis);
            return;
        }
        stats.framesTimedOut++;
        core.lost(connection, "frame not complete " + frameTimeoutMillis + " ms after its first byte ("
                + held.bytes() + " bytes held)", now);
    }
}
