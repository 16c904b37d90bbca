package io.checkedmqtt.bench.load;

import java.nio.ByteBuffer;

/** What a run hears from its clients. Called on the selector thread only. */
interface ClientListener {
    /** CONNACK arrived; {@code code} 0 means accepted. */
    void onConnack(Client client, int code);

    /** SUBACK arrived; {@code worstCode} of 0x80 or more means refused. */
    void onSuback(Client client, int worstCode);

    /** An application message arrived; the payload starts at {@code payloadStart} in {@code buf}. */
    void onMessage(Client client, ByteBuffer buf, int payloadStart, int payloadLength, long nowNanos);

    /** A QoS 1/2 PUBLISH of this client is complete (PUBACK or PUBCOMP). */
    void onPublishComplete(Client client);

    /** The broker refused something or broke the protocol. */
    void onError(Client client, String what);

    /** The connection is gone; {@code expected} when the run closed it itself. */
    void onClosed(Client client, boolean expected);
}
