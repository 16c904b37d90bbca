package io.checkedmqtt.broker;

import io.checkedmqtt.broker.observe.PacketTrail;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * What the loop keeps for one socket: its transport, the bytes of a frame that has not fully
 * arrived, the packets waiting to be written, and the two facts the core has stated about the
 * client (protocol version and client identifier, from its {@code Attached} or {@code Refused}
 * effect). Nothing about sessions: that is the core's. Only the loop thread touches it.
 */
final class Connection {

    final ConnectionId id;
    final SocketChannel channel;
    final SelectionKey key;
    final Transport transport;
    final WriteQueue out;
    /**
     * The peer's address as text, made on first use (only logging needs it): an idle connection
     * should not carry a string it may never print.
     */
    private String remote;

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
        this.out = new WriteQueue(outbound);
        this.channel = channel;
        this.key = key;
        this.transport = transport;
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
        return !out.isEmpty() || transport.hasPendingOutput();
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

    /** The peer's address; "?" once the socket is closed if nothing asked for it while it was open. */
    String remote() {
        if (remote == null) {
            remote = remoteOf(channel);
        }
        return remote;
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
        try {
            SocketAddress address = channel.getRemoteAddress();
            if (address instanceof InetSocketAddress inet) {
                return inet.getAddress().getHostAddress() + ":" + inet.getPort();
            }
            return String.valueOf(address);
        } catch (IOException e) {
            return "?";
        }
    }
}
