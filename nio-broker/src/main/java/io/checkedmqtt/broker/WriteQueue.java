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
 * and an idle one has none. So the head buffer has a field of its own (the plain transport writes
 * a lone buffer with a plain write), and the deque behind it is only made when a second packet is
 * queued: an idle connection that never had two packets waiting costs this object and nothing more.
 */
final class WriteQueue {

    /** Buffers handed to one gathering write; the kernel takes at most IOV_MAX (1024) anyway. */
    static final int MAX_BUFFERS_PER_WRITE = 64;

    /** Where every queue's bytes are counted together. */
    private final OutboundBudget budget;
    /** The oldest unwritten buffer, or null when nothing is queued. */
    private ByteBuffer head;
    /** The buffers queued behind {@link #head}, oldest first; null until a second one is queued. */
    private ArrayDeque<ByteBuffer> rest;
    private long queuedBytes;

    WriteQueue(OutboundBudget budget) {
        this.budget = budget;
    }

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
        budget.add(encoded.remaining());
    }

    long queuedBytes() {
        return queuedBytes;
    }

    boolean isEmpty() {
        return queuedBytes == 0;
    }

    /**
     * Writes as much as the socket takes without blocking, through the connection's transport.
     *
     * @param batch scratch space for one gathering write (the loop lends one array to every
     *              connection); left all null on return
     * @return true when the queue is now empty, false when the socket is full and the rest waits
     */
    boolean flushTo(Transport transport, GatheringByteChannel socket, ByteBuffer[] batch) throws IOException {
        while (head != null) {
            batch[0] = head;
            int count = 1;
            long offered = head.remaining();
            if (rest != null) {
                for (ByteBuffer buffer : rest) {
                    if (count == batch.length) {
                        break;
                    }
                    batch[count++] = buffer;
                    offered += buffer.remaining();
                }
            }
            long written = transport.write(socket, batch, 0, count);
            Arrays.fill(batch, 0, count, null);
            queuedBytes -= written;
            budget.remove(written);
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
        budget.remove(queuedBytes);
        queuedBytes = 0;
    }
}
