package io.checkedmqtt.bench.load.wire;

import java.io.IOException;

/**
 * One client-side layer of the load tool's wire (TLS, WebSocket). {@code down} holds what the
 * layer sends towards the socket; {@code up} what it hands towards MQTT. Bytes a layer cannot
 * take yet (application bytes before its handshake is done) stay in its input.
 */
interface Layer {
    /** Called once the TCP connection is up: a handshake's first words go to {@code down}. */
    void start(Bytes down) throws IOException;

    /** Reads bytes that came from the socket side; may answer into {@code down}. */
    void decode(Bytes from, Bytes up, Bytes down) throws IOException;

    /** Encodes application bytes towards the socket, as far as the layer can now. */
    void encode(Bytes from, Bytes down) throws IOException;

    /** The peer ended the stream at this layer (close_notify, a close frame). */
    boolean ended();
}
