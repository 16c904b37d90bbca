package io.checkedmqtt.broker;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import io.checkedmqtt.broker.observe.Traffic;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Carries out the effects of one core step, in order, one branch per kind of {@link Effect}.
 * Nothing here touches a socket: Send encodes and queues bytes, Close marks the connection, and
 * the writer does the rest at the end of the pass. Persist adds records to the pass's log frame,
 * which the loop makes durable before the writer writes anything of the pass. So an effect
 * never fails half way.
 *
 * <p>The one decision of its own is the outbound bound: a client whose queue is at
 * {@code max_outbound_bytes} gets no more QoS 0 PUBLISHes (tried once, may be lost, so dropped
 * and counted), nor does one with bytes queued while all queues together are at
 * {@code budget_outbound_bytes} ({@link OutboundBudget}).
 */
final class EffectRunner {

    private final Connections connections;
    private final ConnectionWriter writer;
    /** Where Persist effects go; null when persistence is off (and the core emits none). */
    private final Persistence persistence;
    private final Timers<Object> timers;
    private final long maxOutboundBytes;
    private final OutboundBudget outbound;
    private final BrokerLog log;
    private final BrokerStats stats;
    private final Traffic traffic;
    private final ClientTesting testing;

    /** Payloads from this size on are written from the message's own array (see {@link #sharesPayload}). */
    static final int SHARED_PAYLOAD_BYTES = 1024;

    private Packet lastEncodedPacket;
    private ProtocolVersion lastEncodedVersion;
    private ByteBuffer lastEncodedBytes;
    private byte[] lastPayload;
    /** By protocol version: the PUBLISH encoded last in this step, and its bytes. */
    private final Publish[] lastPublish = new Publish[ProtocolVersion.values().length];
    private final ByteBuffer[] lastPublishBytes = new ByteBuffer[ProtocolVersion.values().length];
    private ByteBuffer lastPayloadBuffer;

    EffectRunner(Connections connections, ConnectionWriter writer, Timers<Object> timers, long maxOutboundBytes,
                 OutboundBudget outbound, BrokerLog log, BrokerStats stats, Traffic traffic, ClientTesting testing,
                 Persistence persistence) {
        this.traffic = traffic;
        this.testing = testing;
        this.connections = connections;
        this.writer = writer;
        this.persistence = persistence;
        this.timers = timers;
        this.maxOutboundBytes = maxOutboundBytes;
        this.outbound = outbound;
        this.log = log;
        this.stats = stats;
    }

    void run(List<Effect> effects, long now) {
        for (Effect effect : effects) {
            if (effect instanceof Effect.Send send) {
                send(send.connection(), send.packet(), now);
            } else if (effect instanceof Effect.Persist persist) {
                // durable before anything of this pass is written: the loop commits, then flushes
                if (persistence != null) {
                    persistence.append(persist.records());
                }
            } else if (effect instanceof Effect.ScheduleTimer schedule) {
                schedule(schedule.timer(), schedule.deadlineMillis());
            } else if (effect instanceof Effect.CancelTimer cancel) {
                cancel(cancel.timer());
            } else if (effect instanceof Effect.Close close) {
                requestClose(close, now);
            } else if (effect instanceof Effect.Attached attached) {
                attach(attached);
            } else if (effect instanceof Effect.MessagesDropped dropped) {
                traffic.droppedQueueFull(dropped.count());
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
            } else if (effect instanceof Effect.Noted noted) {
                testing.noted(noted, now);
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
        lastPayload = null;
        lastPayloadBuffer = null;
        Arrays.fill(lastPublish, null);
        Arrays.fill(lastPublishBytes, null);
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

    /**
     * A connection's keep-alive deadline is kept in the connection itself (it is its own timer
     * entry): an idle client then costs the timers nothing but a slot in the heap. A keep-alive
     * of a connection that is gone is dropped; the core learnt of the loss already.
     */
    private void schedule(Timer timer, long deadline) {
        if (timer instanceof Timer.KeepAlive keepAlive) {
            Connection connection = connections.get(keepAlive.connection());
            if (connection != null && !connection.closed) {
                timers.scheduleOwned(connection, deadline);
            }
        } else {
            timers.schedule(timer, deadline);
        }
    }

    private void cancel(Timer timer) {
        if (timer instanceof Timer.KeepAlive keepAlive) {
            Connection connection = connections.get(keepAlive.connection());
            if (connection != null) {
                timers.cancelOwned(connection);
            }
        } else {
            timers.cancel(timer);
        }
    }

    private void attach(Effect.Attached attached) {
        Connection connection = connections.get(attached.connection());
        if (connection == null) {
            return;
        }
        connection.version = attached.version();
        if (connection.clientId == null) {
            traffic.clientAttached();
        }
        connection.clientId = attached.clientId();
        if (testing.active()) {
            testing.attached(connection);
        }
        if (log.connections()) {
            log.connection("connected " + connection.describe());
        }
    }

    private void send(ConnectionId id, Packet packet, long now) {
        Connection connection = connections.get(id);
        if (connection == null || connection.closeRequested || connection.closed) {
            stats.droppedToClosed++;
            return;
        }
        if (packet instanceof Publish publish && publish.qos() == QoS.AT_MOST_ONCE
                && (connection.queuedBytes() >= maxOutboundBytes || !outbound.admitsQos0(connection.queuedBytes()))) {
            // a client that does not drain its socket, or any client behind while every queue together is
            // at its budget, gets no more QoS 0 messages (tried once, may be lost)
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
        // the client-testing hook: traces and the verbose log, fault rules on the way out
        if (testing.active() && testing.outbound(connection, packet, bytes, now)) {
            return;
        }
        connection.out().add(bytes);
        int size = bytes.remaining();
        if (packet instanceof Publish publish && sharesPayload(publish)) {
            ByteBuffer payload = sharedPayload(publish);
            connection.out().add(payload);
            size += payload.remaining();
        }
        connection.bytesOut += size;
        traffic.bytesOut(size);
        if (packet instanceof Publish publish) {
            traffic.publishOut(publish.qos().value(), size);
        }
        if (connection.trail != null) {
            connection.trail.record(true, packet, size, now);
        }
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
            ByteBuffer bytes;
            if (packet instanceof Publish publish) {
                bytes = encodePublish(publish, version);
            } else {
                bytes = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, version));
                MqttEncoder.encode(packet, version, bytes);
                bytes.flip();
            }
            lastEncodedBytes = bytes;
            lastEncodedPacket = packet;
            lastEncodedVersion = version;
        }
        return lastEncodedBytes.duplicate();
    }

    /**
     * A QoS 1 or 2 fan-out hands each connection a PUBLISH of its own, which differs from the one
     * sent before it in the same protocol version in its packet identifier alone (subscribers of
     * both versions take turns): its bytes are those with the identifier changed
     * ({@link PublishBytes}). A PUBLISH whose payload {@linkplain #sharesPayload is shared} is
     * encoded up to its payload only.
     */
    private ByteBuffer encodePublish(Publish publish, ProtocolVersion version) {
        int slot = version.ordinal();
        Publish template = lastPublish[slot];
        ByteBuffer bytes;
        if (template != null && PublishBytes.differOnlyInPacketId(publish, template)) {
            bytes = PublishBytes.withPacketId(lastPublishBytes[slot], publish.packetId());
        } else {
            boolean headerOnly = sharesPayload(publish);
            bytes = ByteBuffer.allocate(headerOnly ? MqttEncoder.publishHeaderSize(publish, version)
                    : MqttEncoder.encodedSize(publish, version));
            if (headerOnly) {
                MqttEncoder.encodePublishHeader(publish, version, bytes);
            } else {
                MqttEncoder.encode(publish, version, bytes);
            }
            bytes.flip();
        }
        lastPublish[slot] = publish;
        lastPublishBytes[slot] = bytes;
        return bytes;
    }

    /**
     * Whether a PUBLISH goes out as its own header followed by its payload array itself, which
     * the core never changes: every subscriber's copy of a message (each with its own packet
     * identifier, alias or subscription identifiers) then shares one payload, and a fan-out of a
     * large message does not multiply it by the number of subscribers. Small payloads are copied
     * behind their header instead: one buffer per packet writes faster than two.
     */
    private static boolean sharesPayload(Publish publish) {
        return publish.payload().length >= SHARED_PAYLOAD_BYTES;
    }

    /** A read-only view of the payload array, one per message, duplicated for each connection. */
    private ByteBuffer sharedPayload(Publish publish) {
        if (publish.payload() != lastPayload) {
            lastPayload = publish.payload();
            lastPayloadBuffer = ByteBuffer.wrap(lastPayload).asReadOnlyBuffer();
        }
        return lastPayloadBuffer.duplicate();
    }

    private void requestClose(Effect.Close close, long now) {
        Connection connection = connections.get(close.connection());
        if (connection == null || connection.closed || connection.closeRequested) {
            return;
        }
        if (connection.tested != null) {
            testing.closing(connection, "close: " + close.detail() + " (" + close.reason() + ")", now);
        }
        connection.closeRequested = true;
        connection.closeReason = close.reason();
        connection.closeDetail = close.detail();
        connection.discardPartial();
        writer.scheduleFlush(connection);   // the linger deadline starts only if the queue does not drain at once
    }
}
