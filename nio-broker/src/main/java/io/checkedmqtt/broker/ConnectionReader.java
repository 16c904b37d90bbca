package io.checkedmqtt.broker;

import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.core.packet.ReasonCode;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reading and framing: takes a connection's MQTT bytes from its transport, decodes every
 * complete frame and hands it to the core, and keeps the front of a frame that has not fully
 * arrived. The decoder's {@link DecodeResult} is used as it comes: it has already consumed a
 * decoded frame, and consumed nothing otherwise.
 *
 * <p>Back-pressure: a connection whose queue towards the client has reached
 * {@code max_outbound_bytes} is not read (and not decoded further) until the writer drains it,
 * so a client cannot make the broker buffer replies without bound. Bytes already read wait in the
 * connection's partial buffer. Publisher flow control stops reading the same way, for as long as
 * the core holds the connection ({@code Effect.PauseReading} to {@code ResumeReading}).
 * {@link #append} is the one place a connection's inbound bytes
 * grow, so it is where a budget of partial frames would be kept.
 */
final class ConnectionReader {

    /** One read buffer for every socket: an idle connection holds no buffer of its own. */
    private final ByteBuffer readBuffer;
    /** Stateless: one serves every connection. */
    private final MqttDecoder decoder;
    private final long maxOutboundBytes;
    private final CoreRunner core;
    private final ConnectionWriter writer;
    private final BrokerLog log;
    private final BrokerStats stats;
    /** Set once the broker is stopping: nobody is read any more. */
    private boolean stopped;

    ConnectionReader(BrokerSettings settings, CoreRunner core, ConnectionWriter writer, BrokerLog log,
                     BrokerStats stats) {
        this.readBuffer = ByteBuffer.allocate(settings.readBufferBytes());
        this.decoder = new MqttDecoder(settings.core().maximumPacketSize());
        this.maxOutboundBytes = settings.maxOutboundBytes();
        this.core = core;
        this.writer = writer;
        this.log = log;
        this.stats = stats;
    }

    /** Whether the loop should read from this connection now. */
    boolean wantsInput(Connection connection) {
        return !connection.inputEnded && !connection.closeRequested && !connection.closed && !stopped
                && !connection.heldByFlowControl && connection.out.queuedBytes() < maxOutboundBytes;
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
        if (connection.partial != null && connection.partial.position() > 0 && wantsInput(connection)) {
            ByteBuffer input = connection.partial;
            input.flip();
            decodeFrames(connection, input, now);
            keepUndecoded(connection, input);
        }
        if (!connection.inputPaused && wantsInput(connection) && connection.transport.hasBufferedInput()) {
            read(connection, now);
        }
    }

    /** One read from the transport and the frames it completed; false when nothing came or the connection ended. */
    private boolean readOnce(Connection connection, long now) {
        ByteBuffer buffer = readBuffer;
        buffer.clear();
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
        buffer.flip();
        ByteBuffer input;
        if (connection.partial != null) {
            connection.partial = append(connection.partial, buffer);
            connection.partial.flip();
            input = connection.partial;
        } else {
            input = buffer;
        }
        decodeFrames(connection, input, now);
        keepUndecoded(connection, input);
        return !connection.closed;
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
                stats.packetsIn++;
                if (log.verbose()) {   // building the line (packet toString) costs more than routing it
                    log.packet("<- " + connection.id + " " + decoded.packet());
                }
                core.packetReceived(connection, decoded.packet(), now);
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

    /** Keeps the bytes of a frame that has not fully arrived (or that waits for back-pressure to end). */
    private void keepUndecoded(Connection connection, ByteBuffer input) {
        // input left over while the connection may not be read holds whole frames to decode later
        connection.inputPaused = input.hasRemaining() && !wantsInput(connection);
        if (connection.closed || connection.inputEnded || !input.hasRemaining()) {
            connection.partial = null;
        } else if (input == connection.partial) {
            connection.partial.compact();
        } else {
            ByteBuffer kept = ByteBuffer.allocate(Math.max(256, input.remaining()));
            kept.put(input);
            connection.partial = kept;
        }
    }

    /** {@code partial} (write mode) with {@code more} appended, grown when needed. */
    private static ByteBuffer append(ByteBuffer partial, ByteBuffer more) {
        if (partial.remaining() < more.remaining()) {
            int needed = partial.position() + more.remaining();
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, partial.capacity() * 2));
            partial.flip();
            bigger.put(partial);
            partial = bigger;
        }
        partial.put(more);
        return partial;
    }
}
