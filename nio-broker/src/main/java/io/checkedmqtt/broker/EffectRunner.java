package io.checkedmqtt.broker;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Carries out the effects of one core step, in order, one branch per kind of {@link Effect}.
 * Nothing here touches a socket: Send encodes and queues bytes, Close marks the connection, and
 * the writer does the rest at the end of the pass. So an effect never fails half way.
 *
 * <p>The one decision of its own is the outbound bound: a client whose queue is at
 * {@code max_outbound_bytes} gets no more QoS 0 PUBLISHes (tried once, may be lost, so dropped
 * and counted). That is where a broker-wide budget of outbound bytes would be kept too.
 */
final class EffectRunner {

    private final Connections connections;
    private final ConnectionWriter writer;
    private final Timers<Object> timers;
    private final long maxOutboundBytes;
    private final BrokerLog log;
    private final BrokerStats stats;

    private Packet lastEncodedPacket;
    private ProtocolVersion lastEncodedVersion;
    private ByteBuffer lastEncodedBytes;

    EffectRunner(Connections connections, ConnectionWriter writer, Timers<Object> timers, long maxOutboundBytes,
                 BrokerLog log, BrokerStats stats) {
        this.connections = connections;
        this.writer = writer;
        this.timers = timers;
        this.maxOutboundBytes = maxOutboundBytes;
        this.log = log;
        this.stats = stats;
    }

    void run(List<Effect> effects) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.Send send) {
                send(send.connection(), send.packet());
            } else if (effect instanceof Effect.ScheduleTimer schedule) {
                timers.schedule(schedule.timer(), schedule.deadlineMillis());
            } else if (effect instanceof Effect.CancelTimer cancel) {
                timers.cancel(cancel.timer());
            } else if (effect instanceof Effect.Close close) {
                requestClose(close);
            } else if (effect instanceof Effect.Attached attached) {
                attach(attached);
            } else if (effect instanceof Effect.Refused refused) {
                Connection connection = connections.get(refused.connection());
                if (connection != null) {
                    connection.version = refused.version();   // the refusing CONNACK goes out in it
                }
            } else if (effect instanceof Effect.Authenticating authenticating) {
                Connection connection = connections.get(authenticating.connection());
                if (connection != null) {
                    connection.version = authenticating.version();   // the AUTH packets go out in it
                }
            } else if (effect instanceof Effect.PauseReading pause) {
                holdInput(pause.connection(), true);
            } else if (effect instanceof Effect.ResumeReading resume) {
                holdInput(resume.connection(), false);
            } else if (effect instanceof Effect.Notice notice && log.connections()) {
                Connection connection = notice.connection() == null ? null : connections.get(notice.connection());
                log.connection((connection == null ? "" : connection.describe() + ": ") + notice.message());
            }
        }
        lastEncodedPacket = null;   // nothing outlives one step: the payload can be collected
        lastEncodedBytes = null;
    }

    /**
     * Publisher flow control: the reader reads nothing from a held connection; once released, the
     * end-of-pass flush selects OP_READ again and decodes what waited ({@link EventLoop}'s flush).
     */
    private void holdInput(ConnectionId id, boolean held) {
        Connection connection = connections.get(id);
        if (connection != null && connection.heldByFlowControl != held) {
            connection.heldByFlowControl = held;
            stats.flowControlHolds += held ? 1 : 0;
            if (!held) {
                writer.scheduleFlush(connection);
            }
        }
    }

    private void attach(Effect.Attached attached) {
        Connection connection = connections.get(attached.connection());
        if (connection == null) {
            return;
        }
        connection.version = attached.version();
        connection.clientId = attached.clientId();
        if (log.connections()) {
            log.connection("connected " + connection.describe());
        }
    }

    private void send(ConnectionId id, Packet packet) {
        Connection connection = connections.get(id);
        if (connection == null || connection.closeRequested || connection.closed) {
            stats.droppedToClosed++;
            return;
        }
        if (packet instanceof Publish publish && publish.qos() == QoS.AT_MOST_ONCE
                && connection.out.queuedBytes() >= maxOutboundBytes) {
            // a client that does not drain its socket gets no more QoS 0 messages (tried once, may be lost)
            connection.droppedQos0++;
            stats.droppedQos0++;
            return;
        }
        ByteBuffer bytes;
        try {
            bytes = encode(packet, connection.encodeVersion());
        } catch (RuntimeException e) {
            stats.coreFailures++;
            log.error("cannot encode " + packet + " for " + connection.describe(), e);
            return;
        }
        if (log.verbose()) {   // building the line (packet toString, String.format) costs more than routing it
            log.packet("-> " + id + " " + packet);
        }
        connection.out.add(bytes);
        stats.packetsOut++;
        writer.scheduleFlush(connection);
    }

    /**
     * Encodes a packet, reusing the bytes of the previous Send when the core hands the same packet
     * object to many connections of one version (a QoS 0 fan-out): encoded buffers are never written
     * after encoding, so connections can share their content, each with its own position.
     */
    private ByteBuffer encode(Packet packet, ProtocolVersion version) {
        if (packet != lastEncodedPacket || version != lastEncodedVersion) {
            ByteBuffer bytes = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, version));
            MqttEncoder.encode(packet, version, bytes);
            lastEncodedBytes = bytes.flip();
            lastEncodedPacket = packet;
            lastEncodedVersion = version;
        }
        return lastEncodedBytes.duplicate();
    }

    private void requestClose(Effect.Close close) {
        Connection connection = connections.get(close.connection());
        if (connection == null || connection.closed || connection.closeRequested) {
            return;
        }
        connection.closeRequested = true;
        connection.closeReason = close.reason();
        connection.closeDetail = close.detail();
        connection.partial = null;
        writer.scheduleFlush(connection);   // the linger deadline starts only if the queue does not drain at once
    }
}
