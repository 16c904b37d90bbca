package io.checkedmqtt.bench.load.wire;

import java.nio.ByteBuffer;

/**
 * A growable byte queue: appended at the end, consumed from the front. {@link #read()} is the
 * buffer in read mode; appending goes through {@link #write(int)} and {@link #written()}.
 */
public final class Bytes {
    private ByteBuffer buffer;

    public Bytes(final int capacity) {
        buffer = ByteBuffer.allocate(capacity).flip();
    }

    /** The queued bytes, read mode; reading from it consumes them. */
    public ByteBuffer read() {
        return buffer;
    }

    public boolean isEmpty() {
        return !buffer.hasRemaining();
    }

    /** A buffer in write mode with at least {@code room} bytes free; call {@link #written()} after. */
    public ByteBuffer write(final int room) {
        buffer.compact();
        if (buffer.remaining() < room) {
            final ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + room));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        return buffer;
    }

    public void written() {
        buffer.flip();
    }

    public void add(final ByteBuffer bytes) {
        write(bytes.remaining()).put(bytes);
        written();
    }
}
