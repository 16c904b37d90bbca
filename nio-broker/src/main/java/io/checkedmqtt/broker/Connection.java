package io.checkedmqtt.broker;

import io.checkedmqtt.broker.observe.PacketTrail;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * What the loop keeps for one socket: its transport, the bytes of a frame that has not fully
 * arrived, the packets waiting to be written, and the two facts the core has stated about the
 * client (protocol version and client identifier, from its {@code Attached} or {@code Refused}
 * effect). Nothing about sessions: that is the core's. Only the loop thread touches it.
 *
 * <p>Memory matters here, since a broker may hold many thousands of idle clients: an idle
 * connection is this object and the JDK's socket objects, nothing more. The connection is its own
 * keep-alive timer entry ({@link Timers.Entry}), its write queue exists only while bytes wait, and
 * its peer's address is the socket's own object, made text only when a line is logged.
 */
final class Connection extends Timers.Entry<Object> {

    final ConnectionId id;
    final SocketChannel channel;
    final SelectionKey key;
    final Transport transport;
    /** Where every queue's bytes are counted; handed to the write queue when one is made. */
    private final OutboundBudget outbound;
    /** The packets waiting to be written; null while nothing waits. */
    private WriteQueue out;
    /** The peer's address: the socket's own object, kept so that a line written after the close can name it. */
    private final SocketAddress remoteAddress;

    /** Input that has arrived but is not decoded yet (the front of a frame); null when there is none. */
    PartialFrame partial;

    /** The version the core said the client speaks; null until its CONNECT is answered. */
    ProtocolVersion version;
    /** The client identifier the core attached the connection to, for log lines; null before. */
    String clientId;

    /** After a malformed packet nothing more is read [the core decides what the client is told]. */
    boolean inputEnded;
    /** The core asked to close: write what is queued, then close. */
    boolean closeRequested;
    /** The transport has been told the MQTT stream towards the client is over. */
    boolean outputClosed;
    /** Asked to close with bytes still queued: a deadline closes it if the client does not read them. */
    boolean lingering;
    /** Reading stopped for back-pressure with input left over (in {@link #partial} or the transport); resume once drained. */
    boolean inputPaused;
    /** Not read until the budget of partial frames has room again ({@link InboundBudget}). */
    boolean waitingForRoom;
    /** A {@link ConnectionReader.FrameTimeout} deadline is pending for it. */
    boolean frameTimerPending;
    /** Publisher flow control: the core said not to read it until its subscribers drain. */
    boolean heldByFlowControl;
    ReasonCode closeReason;
    String closeDetail;
    boolean closed;
    /** Already in the writer's list of connections to flush this pass. */
    boolean flushPending;

    long droppedQos0;
    /** When the socket was accepted and the core told it opened (core time): for the API and a failure report. */
    long openedAtMillis;
    /** MQTT bytes read from it, and queued to it (before TLS or WebSocket framing). */
    long bytesIn;
    long bytesOut;
    /** Its last packets both ways, for the dashboard; null unless the HTTP listener is open. */
    PacketTrail trail;
    /** The kind of listener that accepted it ({@code mqtt}, {@code mqtts}, {@code ws}, {@code wss}, {@code http}). */
    String listener;

    /** When the core got its CONNECT (with {@link #connect}): for a failure report. */
    long connectAtMillis;
    /**
     * The connection's first CONNECT as decoded, kept for a {@link CoreFailureReport}: the one
     * input besides the failing one that every later step of the connection depends on. A reference
     * to a packet the core holds parts of anyway (client identifier, will), so it costs little.
     */
    Connect connect;
    /** Client testing: what the loop keeps when the client is traced, faulted or probed; null otherwise. */
    TestedConnection tested;
    /** Client testing: packets before the CONNECT was accepted, kept while any client is traced; null otherwise. */
    java.util.List<ClientTesting.Early> early;
    /** Client testing: a fault paused reading, or a cut is due; nothing is read meanwhile. */
    boolean faultHold;

    Connection(ConnectionId id, SocketChannel channel, SelectionKey key, Transport transport, OutboundBudget outbound) {
        this.id = id;
        this.outbound = outbound;
        this.channel = channel;
        this.key = key;
        this.transport = transport;
        this.remoteAddress = remoteAddressOf(channel);
    }

    /** The keep-alive the connection's entry stands for, made when its deadline fires. */
    @Override
    Object key() {
        return new Timer.KeepAlive(id);
    }

    /** The queue to add packets to, made when the first one waits. */
    WriteQueue out() {
        if (out == null) {
            out = new WriteQueue(outbound);
        }
        return out;
    }

    /** MQTT bytes queued and not yet taken by the socket. */
    long queuedBytes() {
        return out == null ? 0 : out.queuedBytes();
    }

    /**
     * Writes what is queued as far as the socket takes it ({@link WriteQueue#flushTo}); the queue
     * goes once it is empty.
     *
     * @return true when nothing is left queued
     */
    boolean flushQueue(ByteBuffer[] batch, ByteBuffer staging) throws IOException {
        if (out == null) {
            return true;
        }
        boolean drained = out.flushTo(transport, channel, batch, staging);
        if (drained) {
            out = null;
        }
        return drained;
    }

    /** Drops whatever is queued, giving its bytes back to the budget. */
    void clearQueue() {
        if (out != null) {
            out.clear();
            out = null;
        }
    }

    /** Drops the undecoded input, giving its bytes back to the budget. */
    void discardPartial() {
        if (partial != null) {
            partial.discard();
            partial = null;
        }
    }

    /** The version to encode with; 3.1.1 until the core says otherwise (it always does before a CONNACK). */
    ProtocolVersion encodeVersion() {
        return version == null ? ProtocolVersion.MQTT_3_1_1 : version;
    }

    /** MQTT bytes queued, or bytes of the transport's own, still waiting for the socket. */
    boolean hasOutput() {
        return (out != null && !out.isEmpty()) || transport.hasPendingOutput();
    }

    /** Selects OP_READ when the loop wants input from it, OP_WRITE while output waits. */
    void updateInterest(boolean wantsInput) {
        if (closed || !key.isValid()) {
            return;
        }
        int ops = (wantsInput ? SelectionKey.OP_READ : 0) | (hasOutput() ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** The peer's address as text. */
    String remote() {
        return text(remoteAddress);
    }

    String describe() {
        return id + " " + remote() + (clientId == null ? "" : " client '" + clientId + "'")
                + (version == null ? "" : " " + version);
    }

    /** Why the broker closed it, for the disconnect line. */
    String closeText() {
        String detail = closeDetail == null || closeDetail.isEmpty() ? "" : " " + closeDetail;
        return "closed by broker, " + closeReason + detail + droppedText();
    }

    /** The QoS 0 messages back-pressure dropped, for the disconnect line; empty when none. */
    String droppedText() {
        return droppedQos0 == 0 ? "" : " (" + droppedQos0 + " QoS 0 messages dropped: outbound queue full)";
    }

    static String remoteOf(SocketChannel channel) {
        return text(remoteAddressOf(channel));
    }

    /** The socket's peer address (the channel's own object, no copy), or null when it is closed. */
    private static SocketAddress remoteAddressOf(SocketChannel channel) {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return address == null ? "?" : String.valueOf(address);
    }
}
