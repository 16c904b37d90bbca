package io.checkedmqtt.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The encoded packets waiting to go out on one connection. Packets are appended as the effects
 * run and written together with one write per loop wake-up; whatever the socket does
 * not take stays at the head (a partly written buffer keeps its position) until the socket
 * reports OP_WRITE.
 *
 * <p>Most connections have at most one packet queued at a time (a CONNACK, a PUBACK, a PINGRESP),
 * and an idle one has none. So the head buffer has a field of its own (the plain transport writes
 * a lone buffer with a plain write), and the deque behind it is only made when a second packet is
 * queued. The connection itself makes its queue only while bytes wait and drops it once the socket
 * has taken them ({@code Connection.out()}): an idle connection has none.
 */
final class WriteQueue {

    /** Records a layered transport (TLS, WebSocket) makes of one write; the kernel takes at most IOV_MAX (1024) anyway. */
    static final int MAX_BUFFERS_PER_WRITE = 64;
    /** Bytes of several queued packets copied together for one write ({@link #flushTo}). */
    static final int STAGING_BYTES = 64 * 1024;

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
     * Writes as much as the socket takes without blocking, through the connection's transport. A
     * lone buffer goes as it is; several are first copied into {@code staging}, a direct buffer,
     * and written as one: the JDK would otherwise copy each heap buffer of a gathering write into
     * a temporary direct buffer of its own, which is what a profile of QoS 1 pairs showed as the
     * loop's largest single cost.
     *
     * @param batch   scratch of one slot for the transport call (the loop lends one array to every
     *                connection); left null on return
     * @param staging scratch direct buffer the loop lends to every connection
     * @return true when the queue is now empty, false when the socket is full and the rest waits
     */
    boolean flushTo(Transport transport, GatheringByteChannel socket, ByteBuffer[] batch, ByteBuffer staging)
            throws IOException {
        while (head != null) {
            boolean lone = rest == null || rest.isEmpty();
            long offered = lone ? head.remaining() : stage(staging);
            batch[0] = lone ? head : staging;
            long written = transport.write(socket, batch, 0, 1);
            batch[0] = null;
            if (!lone) {
                advance(written);
            }
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

    /** Copies the queued bytes, oldest first, into {@code staging} as far as it holds them; the queue is unchanged. */
    private long stage(ByteBuffer staging) {
        staging.clear();
        copyInto(head, staging);
        for (ByteBuffer buffer : rest) {
            if (!staging.hasRemaining()) {
                break;
            }
            copyInto(buffer, staging);
        }
        staging.flip();
        return staging.remaining();
    }

    private static void copyInto(ByteBuffer from, ByteBuffer staging) {
        int length = Math.min(from.remaining(), staging.remaining());
        staging.put(staging.position(), from, from.position(), length);
        staging.position(staging.position() + length);
    }

    /** The socket took {@code written} staged bytes: move the queued buffers past them. */
    private void advance(long written) {
        long left = written - skip(head, written);
        Iterator<ByteBuffer> behind = rest.iterator();
        while (left > 0) {
            left -= skip(behind.next(), left);
        }
    }

    private static int skip(ByteBuffer buffer, long bytes) {
        int n = (int) Math.min(buffer.remaining(), bytes);
        buffer.position(buffer.position() + n);
        return n;
    }

    void clear() {
        head = null;
        rest = null;
        budget.remove(queuedBytes);
        queuedBytes = 0;
    }
}
