package io.checkedmqtt.broker;

import io.checkedmqtt.broker.layer.Outbound;
import io.checkedmqtt.broker.layer.StreamLayer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link Transport} made of socket-free layers ({@link StreamLayer}): TLS, WebSocket, or
 * WebSocket over TLS as a {@link io.checkedmqtt.broker.layer.LayerStack}. This class only moves
 * bytes between the socket and the layer; records, frames and handshakes are the layer's.
 *
 * <p>Reading: socket bytes are read into the loop's read buffer, the layer takes all of them and
 * returns the MQTT bytes they completed, which go back into the same buffer (they are never more
 * than the socket bytes that carried them, except when a record held from before completes; what
 * does not fit waits here, and {@link #hasBufferedInput()} says so).
 *
 * <p>Writing, and back-pressure: MQTT bytes are taken from the connection's queue only while the
 * layer has nothing of its own waiting for the socket, and at most {@link #MAX_TAKEN_PER_WRITE}
 * at a time. So the bytes a slow client owes stay in the connection's queue, where
 * {@code max_outbound_bytes} counts them, and the transport holds at most one batch of records.
 */
final class LayeredTransport implements Transport {

    /** MQTT bytes encoded per step of a write: a few TLS records' worth. */
    static final int MAX_TAKEN_PER_WRITE = 64 * 1024;

    private final StreamLayer layer;
    /** MQTT bytes the layer produced that did not fit the loop's buffer; null when none. */
    private ByteBuffer pendingUp;
    /** The layer has ended: the next read says so, after the MQTT bytes that came before the end. */
    private boolean ending;
    private final ByteBuffer[] window = new ByteBuffer[WriteQueue.MAX_BUFFERS_PER_WRITE];

    LayeredTransport(StreamLayer layer) {
        this.layer = layer;
    }

    StreamLayer layer() {
        return layer;
    }

    @Override
    public int read(ReadableByteChannel socket, ByteBuffer mqtt) throws IOException {
        if (pendingUp != null) {
            return handOn(mqtt);
        }
        if (ending || layer.endReason() != null) {
            return END_OF_STREAM;
        }
        int count = socket.read(mqtt);
        if (count < 0) {
            return END_OF_STREAM;
        }
        if (count == 0) {
            return 0;
        }
        mqtt.flip();
        ByteBuffer up = layer.receive(mqtt);
        mqtt.clear();
        if (up.hasRemaining()) {
            pendingUp = up;   // the layer's scratch: copied below before anyone else reads
            int handed = handOn(mqtt);
            ending = layer.endReason() != null;
            return handed;
        }
        return layer.endReason() != null ? END_OF_STREAM : 0;
    }

    /** Moves MQTT bytes waiting here into {@code mqtt}; what does not fit is copied aside. */
    private int handOn(ByteBuffer mqtt) {
        int n = Math.min(pendingUp.remaining(), mqtt.remaining());
        int limit = pendingUp.limit();
        pendingUp.limit(pendingUp.position() + n);
        mqtt.put(pendingUp);
        pendingUp.limit(limit);
        if (!pendingUp.hasRemaining()) {
            pendingUp = null;
        } else {
            ByteBuffer kept = ByteBuffer.allocate(pendingUp.remaining());
            kept.put(pendingUp).flip();
            pendingUp = kept;
        }
        return n;
    }

    @Override
    public boolean hasBufferedInput() {
        return pendingUp != null || ending;
    }

    @Override
    public long write(GatheringByteChannel socket, ByteBuffer[] mqtt, int offset, int length) throws IOException {
        long consumed = 0;
        int first = offset;
        int end = offset + length;
        while (writeOwn(socket)) {
            while (first < end && !mqtt[first].hasRemaining()) {
                first++;
            }
            if (first == end || layer.endReason() != null) {
                return consumed;
            }
            consumed += encodeSome(mqtt, first, end);
        }
        return consumed;   // the socket is full; what the layer made of the last batch waits in it
    }

    /** Hands the layer up to {@link #MAX_TAKEN_PER_WRITE} MQTT bytes of {@code mqtt[first .. end)}; returns how many. */
    private long encodeSome(ByteBuffer[] mqtt, int first, int end) {
        int count = 0;
        long taken = 0;
        ByteBuffer cut = null;
        int cutIndex = -1;
        for (int i = first; i < end && count < window.length && taken < MAX_TAKEN_PER_WRITE; i++) {
            ByteBuffer buffer = mqtt[i];
            long room = MAX_TAKEN_PER_WRITE - taken;
            if (buffer.remaining() > room) {
                cut = buffer.duplicate();
                cut.limit(cut.position() + (int) room);
                cutIndex = i;
                window[count++] = cut;
                taken += room;
            } else {
                window[count++] = buffer;
                taken += buffer.remaining();
            }
        }
        layer.send(window, 0, count);
        java.util.Arrays.fill(window, 0, count, null);
        if (cut != null) {
            mqtt[cutIndex].position(cut.position());   // the layer consumed the duplicate's bytes
        }
        return taken;
    }

    /** Writes the layer's own bytes; true when none are left. */
    private boolean writeOwn(WritableByteChannel socket) throws IOException {
        Outbound outbound = layer.outbound();
        while (!outbound.isEmpty()) {
            if (socket.write(outbound.bytes()) == 0) {
                return false;
            }
        }
        outbound.releaseIfEmpty();
        return true;
    }

    @Override
    public boolean hasPendingOutput() {
        return !layer.outbound().isEmpty();
    }

    @Override
    public void closeOutput() {
        layer.close();
    }

    @Override
    public String endReason() {
        return layer.endReason();
    }
}
