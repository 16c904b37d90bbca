package io.checkedmqtt.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The encoded packets waiting to go out on one connection. Packets are appended as the effects
 * run and written together with one gathering write per loop wake-up; whatever the socket does
 * not take stays at the head (a partly written buffer keeps its position) until the socket
 * reports OP_WRITE.
 */
final class WriteQueue {

    /** Buffers handed to one gathering write; the kernel takes at most IOV_MAX (1024) anyway. */
    private static final int MAX_BUFFERS_PER_WRITE = 64;

    // small at first: most connections have at most a packet or two queued at a time
    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>(2);
    private long queuedBytes;

    void add(ByteBuffer encoded) {
        if (encoded.hasRemaining()) {
            buffers.addLast(encoded);
            queuedBytes += encoded.remaining();
        }
    }

    long queuedBytes() {
        return queuedBytes;
    }

    boolean isEmpty() {
        return queuedBytes == 0;
    }

    /**
     * Writes as much as the channel takes without blocking.
     *
     * @return true when the queue is now empty, false when the socket is full and the rest waits
     */
    boolean flushTo(GatheringByteChannel channel) throws IOException {
        final ByteBuffer[] batch = new ByteBuffer[MAX_BUFFERS_PER_WRITE];
        while (!buffers.isEmpty()) {
            int count = 0;
            long offered = 0;
            for (ByteBuffer buffer : buffers) {
                if (count == batch.length) {
                    break;
                }
                batch[count++] = buffer;
                offered += buffer.remaining();
            }
            final long written = channel.write(batch, 0, count);
            queuedBytes -= written;
            while (!buffers.isEmpty() && !buffers.peekFirst().hasRemaining()) {
                buffers.pollFirst();
            }
            Arrays.fill(batch, 0, count, null);
            if (written < offered) {
                // the socket took less than we offered: it is full, the rest waits for OP_WRITE
                return false;
            }
        }
        return true;
    }

    void clear() {
        buffers.clear();
        queuedBytes = 0;
    }
}
