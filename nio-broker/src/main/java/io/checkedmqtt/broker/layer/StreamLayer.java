package io.checkedmqtt.broker.layer;

import java.nio.ByteBuffer;

/**
 * One layer of a connection's byte stream between the socket and the MQTT framer: TLS, or
 * WebSocket framing. It touches no socket: bytes from below go in through {@link #receive} and
 * come out as bytes for the layer above; bytes from above go in through {@link #send}; whatever
 * the layer has for the network side waits in {@link #outbound()} until the caller takes it
 * (a handshake reply, a record, a frame, a pong, an alert or a close).
 *
 * <p>A layer that cannot go on (the peer closed, or broke the protocol) says why in
 * {@link #endReason()}; its last words (a close frame, an alert) are already in its outbound
 * bytes, and the connection should be closed once they are written. Only the loop thread calls it.
 */
public interface StreamLayer {

    /**
     * Takes bytes that arrived from below (all of them: an incomplete record or frame is kept
     * inside). Returns the bytes for the layer above, in read mode, valid until the next call.
     */
    ByteBuffer receive(ByteBuffer fromBelow);

    /** Takes every remaining byte of {@code fromAbove[offset .. offset+length)} for sending. */
    void send(ByteBuffer[] fromAbove, int offset, int length);

    /** Bytes for the layer below or the socket, in read mode; consuming them removes them. */
    Outbound outbound();

    /** True once the layer carries application bytes (the TLS handshake or the HTTP upgrade is done). */
    boolean established();

    /** Why this layer has ended, or null while it goes on. */
    String endReason();

    /** Starts an orderly close from this side: TLS close_notify, a WebSocket close frame. */
    void close();
}
