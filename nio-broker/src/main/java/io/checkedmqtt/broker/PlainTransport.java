package io.checkedmqtt.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * MQTT over plain TCP, an ordered, lossless byte stream [v5 MQTT-4.2-1]: the socket's bytes are
 * the MQTT bytes. It holds nothing per connection, so one instance serves every plain socket and
 * a plain connection costs no transport object; while it is the only transport loaded, the JIT
 * sees one implementation and inlines it into the loop.
 */
final class PlainTransport implements Transport {

    static final PlainTransport INSTANCE = new PlainTransport();

    /** The factory of a plain listener: every socket gets {@link #INSTANCE}. */
    static final Factory FACTORY = socket -> INSTANCE;

    private PlainTransport() {
    }

    @Override
    public int read(ReadableByteChannel socket, ByteBuffer mqtt) throws IOException {
        return socket.read(mqtt);   // -1 at end of stream, as END_OF_STREAM says
    }

    @Override
    public boolean hasBufferedInput() {
        return false;
    }

    @Override
    public long write(GatheringByteChannel socket, ByteBuffer[] mqtt, int offset, int length) throws IOException {
        return length == 1 ? socket.write(mqtt[offset]) : socket.write(mqtt, offset, length);
    }

    @Override
    public boolean hasPendingOutput() {
        return false;
    }

    @Override
    public void closeOutput() {
        // TCP says goodbye with FIN, which closing the socket sends
    }
}
