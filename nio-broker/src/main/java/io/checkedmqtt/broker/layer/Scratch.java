package io.checkedmqtt.broker.layer;

import java.nio.ByteBuffer;

/**
 * The buffer a layer hands its decoded bytes up in. The loop serves one connection at a time and
 * consumes (or copies aside) what a layer returns before it reads the next socket, so every layer
 * of one kind can share one scratch buffer: ten thousand idle TLS connections then hold no 16 KiB
 * plaintext buffer each. A layer made without one gets its own.
 */
public final class Scratch {

    private ByteBuffer buffer = ByteBuffer.allocate(0);

    /** The buffer, cleared, with room for at least {@code bytes}; its content is the caller's until the next call. */
    public ByteBuffer cleared(int bytes) {
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate(Math.max(bytes, buffer.capacity() * 2));
        }
        buffer.clear();
        return buffer;
    }

    /** Room for {@code more} bytes after the current position, keeping what is written (write mode). */
    public ByteBuffer grown(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.position() + more, buffer.capacity() * 2));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        return buffer;
    }
}
