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
 *
 * <p>Most connections have at most one packet queued at a time (a CONNACK, a PUBACK, a PINGRESP),
 * and an idle one has none. So the head buffer has a field of its own, a lone buffer goes out with
 * a plain write, and the deque behind it is only made when a second packet is queued: an idle
 * connection that never had two packets waiting costs this object and nothing more.
 */
final class WriteQueue {

    /** Buffers handed to one gathering write; the kernel takes at most IOV_MAX (1024) anyway. */
    static final int MAX_BUFFERS_PER_WRITE = 64;

    /** The oldest unwritten buffer, or null when nothing is queued. */
    private ByteBuffer head;
    /** The buffers queued behind {@link #head}, oldest first; null until a second one is queued. */
    private ArrayDeque<ByteBuffer> rest;
    private long queuedBytes;

    void add(ByteBuffer encoded) {
        if (!encoded.hasRemaining()) {
            return;
        }
        if (head == null) {
            head = encoded;
        } else {
            if (rest == null) {
                rest = new ArrayDeque<>(4);
            }
            rest.addLast(encoded);
        }
        queuedBytes += encoded.remaining();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    boolean isEmpty() {
        return queuedBytes == 0;
    }

    /** {@link #flushTo(GatheringByteChannel, ByteBuffer[])} with a batch array of its own. */
    boolean flushTo(GatheringByteChannel channel) throws IOException {
        return flushTo(channel, new ByteBuffer[MAX_BUFFERS_PER_WRITE]);
    }

    /**
     * Writes as much as the channel takes without blocking.
     *
     * @param batch scratch space for one gathering write (the loop lends one array to every
     *              connection); left all null on return
     * @return true when the queue is now empty, false when the socket is full and the rest waits
     */
    boolean flushTo(GatheringByteChannel channel, ByteBuffer[] batch) throws IOException {
        while (head != null) {
            long offered;
            long written;
            if (rest == null || rest.isEmpty()) {
                offered = head.remaining();
                written = channel.write(head);
            } else {
                batch[0] = head;
                int count = 1;
                offered = head.remaining();
                for (ByteBuffer buffer : rest) {
                    if (count == batch.length) {
                        break;
                    }
                    batch[count++] = buffer;
                    offered += buffer.remaining();
                }
                written = channel.write(batch, 0, count);
                Arrays.fill(batch, 0, count, null);
            }
            queuedBytes -= written;
            while (head != null && !head.hasRemaining()) {
                head = rest == null ? null : rest.pollFirst();
            }
            if (written < offered) {
                // the socket took less than we offered: it is full, the rest waits for OP_WRITE
                return false;
            }
        }
        return true;
    }

    void clear() {
        head = null;
        rest = null;
        queuedBytes = 0;
    }
}
