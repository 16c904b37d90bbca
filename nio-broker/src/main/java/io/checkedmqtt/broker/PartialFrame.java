package io.checkedmqtt.broker;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The bytes of one connection's input that have arrived but are not decoded yet: the front of a
 * frame whose rest is still on its way, or, while reading is paused, whole frames waiting their
 * turn. Kept in the chunks they arrived in, each copied once at its exact size, so what is held
 * grows with the bytes received and never with what a fixed header promises, and a large frame
 * arriving in many reads is not copied again at every read (as a buffer that doubles would be).
 * A frame is put together in one buffer, of exactly its length, only once all of it is here.
 * Small chunks are merged as they come, so a client that trickles a byte at a time makes one
 * chunk, not a chunk per byte.
 *
 * <p>What it counts against the {@link InboundBudget} is its claim: the bytes it holds, or the
 * length the front frame declares once it was {@linkplain #claimFrame admitted}, whichever is more.
 */
final class PartialFrame {

    /** A last chunk smaller than this is merged with the next bytes rather than followed by them. */
    private static final int MERGE_BELOW = 4 * 1024;

    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>(2);
    private final InboundBudget budget;
    private long bytes;
    private long claim;
    /** The front frame's declared length is claimed: it may be read to its end. */
    private boolean admitted;
    /** When the frame at the front began to arrive: the frame timeout counts from here. */
    private long startedAtMillis;

    PartialFrame(InboundBudget budget, long nowMillis) {
        this.budget = budget;
        this.startedAtMillis = nowMillis;
    }

    long bytes() {
        return bytes;
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    /** Whether the front frame has its claim (or its length is not known yet): the connection may be read. */
    boolean admitted() {
        return admitted;
    }

    /**
     * Claims the declared length of the front frame, if the budget has room for it; until then the
     * connection is not read further. A length not known yet (the fixed header has not fully
     * arrived) is no claim: the few bytes still to come decide it.
     *
     * @param frameLength the front frame's declared length, or 0 when it is not known yet
     * @return whether the connection may be read
     */
    boolean claimFrame(long frameLength) {
        if (admitted || frameLength == 0) {
            return true;
        }
        if (frameLength <= claim || budget.tryClaim(frameLength - claim)) {
            claim = Math.max(claim, frameLength);
            admitted = true;
        }
        return admitted;
    }

    /** Keeps a copy of what remains in {@code from}, and consumes it. */
    void add(ByteBuffer from) {
        int count = from.remaining();
        if (count == 0) {
            return;
        }
        ByteBuffer last = chunks.peekLast();
        ByteBuffer chunk;
        if (last != null && last.remaining() < MERGE_BELOW) {
            chunks.pollLast();
            chunk = ByteBuffer.allocate(last.remaining() + count).put(last);
        } else {
            chunk = ByteBuffer.allocate(count);
        }
        chunks.addLast(chunk.put(from).flip());
        bytes += count;
        if (bytes > claim) {
            budget.claim(bytes - claim);
            claim = bytes;
        }
    }

    /**
     * Copies the first bytes of the held input followed by {@code more} into {@code into} (as many
     * as fit, or as there are), consuming nothing; returns how many it copied.
     */
    int peek(byte[] into, ByteBuffer more) {
        int copied = 0;
        for (ByteBuffer chunk : chunks) {
            for (int i = chunk.position(); i < chunk.limit() && copied < into.length; i++) {
                into[copied++] = chunk.get(i);
            }
            if (copied == into.length) {
                return copied;
            }
        }
        for (int i = more.position(); i < more.limit() && copied < into.length; i++) {
            into[copied++] = more.get(i);
        }
        return copied;
    }

    /**
     * Takes {@code length} bytes: those held first, then as many as needed from {@code more}
     * (consumed); the caller has made sure there are enough. What stays held is the front of the
     * next frame, which began to arrive now as far as the frame timeout goes, and has no claim yet.
     */
    ByteBuffer take(int length, ByteBuffer more, long nowMillis) {
        ByteBuffer frame = ByteBuffer.allocate(length);
        while (frame.hasRemaining() && !chunks.isEmpty()) {
            ByteBuffer chunk = chunks.peekFirst();
            int n = Math.min(chunk.remaining(), frame.remaining());
            frame.put(frame.position(), chunk, chunk.position(), n).position(frame.position() + n);
            chunk.position(chunk.position() + n);
            if (!chunk.hasRemaining()) {
                chunks.pollFirst();
            }
            bytes -= n;
        }
        if (frame.hasRemaining()) {
            int n = frame.remaining();
            frame.put(frame.position(), more, more.position(), n).position(frame.position() + n);
            more.position(more.position() + n);
        }
        budget.release(claim - bytes);
        claim = bytes;
        admitted = false;
        startedAtMillis = nowMillis;
        return frame.flip();
    }

    /** Drops everything held (the connection closed, or its input ended): the budget gets its claim back. */
    void discard() {
        budget.release(claim);
        claim = 0;
        bytes = 0;
        chunks.clear();
    }
}
