package io.checkedmqtt.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * What the loop keeps for one socket: the bytes of a frame that has not fully arrived, the
 * packets waiting to be written, and the few facts about the client the shell needs to encode
 * (protocol version, the client's Maximum Packet Size). Nothing about sessions: that is the
 * core's. Only the loop thread touches it.
 */
final class Connection {

    final ConnectionId id;
    final SocketChannel channel;
    final SelectionKey key;
    final WriteQueue out = new WriteQueue();
    /**
     * The peer's address as text, made on first use (only logging needs it): an idle connection
     * should not carry a string it may never print.
     */
    private String remote;

    /** The front of a frame that has not fully arrived, in write mode; null when none is waiting. */
    ByteBuffer partial;

    /** Negotiated by CONNECT; null before it arrives. */
    ProtocolVersion version;
    /** The client's 5.0 Maximum Packet Size; 0 when it set none. */
    long clientMaximumPacketSize;
    String clientId;

    /** After a malformed packet nothing more is read [the core decides what the client is told]. */
    boolean inputEnded;
    /** The core asked to close: write what is queued, then close. */
    boolean closeRequested;
    /** Asked to close with bytes still queued: a deadline closes it if the client does not read them. */
    boolean lingering;
    /** Decoding stopped for back-pressure with bytes left in {@link #partial}; resume once drained. */
    boolean inputPaused;
    ReasonCode closeReason;
    String closeDetail;
    boolean closed;
    /** Already in the loop's list of connections to flush this pass. */
    boolean flushPending;

    long droppedQos0;

    Connection(ConnectionId id, SocketChannel channel, SelectionKey key) {
        this.id = id;
        this.channel = channel;
        this.key = key;
    }

    /** The version to encode with: CONNACK to a refused CONNECT of unknown level goes out as 3.1.1. */
    ProtocolVersion encodeVersion() {
        return version == null ? ProtocolVersion.MQTT_3_1_1 : version;
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
