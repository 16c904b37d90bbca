package io.checkedmqtt.broker.layer;

import java.nio.ByteBuffer;

/**
 * Bytes a layer has produced for the network and not yet handed on, in one growable buffer that
 * is at rest in read mode: {@link #bytes()} can be written from directly, and a partial write
 * simply leaves its position further on. Appending compacts, so written bytes are not kept.
 */
public final class Outbound {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private ByteBuffer buffer = EMPTY;

    /** The pending bytes (read mode); consuming from it removes them. */
    public ByteBuffer bytes() {
        return buffer;
    }

    public boolean isEmpty() {
        return !buffer.hasRemaining();
    }

    public int size() {
        return buffer.remaining();
    }

    /** A buffer in write mode with room for at least {@code room} more bytes; end with {@link #doneWriting}. */
    public ByteBuffer startWriting(int room) {
        if (buffer == EMPTY || buffer.capacity() - buffer.remaining() < room) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.remaining() + room, buffer.capacity() * 2));
            bigger.put(buffer);
            buffer = bigger;
        } else {
            buffer.compact();
        }
        return buffer;
    }

    /** Back to read mode after {@link #startWriting}. */
    public void doneWriting() {
        buffer.flip();
    }

    public void add(ByteBuffer bytes) {
        startWriting(bytes.remaining()).put(bytes);
        doneWriting();
    }

    /** Frees the buffer once nothing is pending, so an idle connection holds none. */
    public void releaseIfEmpty() {
        if (!buffer.hasRemaining()) {
            buffer = EMPTY;
        }
    }
}
