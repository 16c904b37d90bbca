package io.checkedmqtt.bench.load;

import java.nio.ByteBuffer;

/**
 * The load tool's message body: publisher id (4 bytes), sequence number (8 bytes) and the
 * intended send time from {@link System#nanoTime()} (8 bytes), padded with zeros to the requested
 * size. The subscriber side uses it to count lost, duplicated and out-of-order messages and to
 * measure latency; publisher and subscriber share one JVM, so the clock is the same.
 */
final class Payload {
    /** Smallest payload that carries the header. */
    static final int HEADER = 20;

    private Payload() {
    }

    static void write(final ByteBuffer out, final int size, final int publisherId, final long sequence, final long sendNanos) {
        out.putInt(publisherId);
        out.putLong(sequence);
        out.putLong(sendNanos);
        for (int left = size - HEADER; left > 0; ) {
            if (left >= 8) {
                out.putLong(0L);
                left -= 8;
            } else {
                out.put((byte) 0);
                left--;
            }
        }
    }

    static int publisherId(final ByteBuffer buf, final int start) {
        return buf.getInt(start);
    }

    static long sequence(final ByteBuffer buf, final int start) {
        return buf.getLong(start + 4);
    }

    static long sendNanos(final ByteBuffer buf, final int start) {
        return buf.getLong(start + 12);
    }
}
