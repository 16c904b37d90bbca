package io.checkedmqtt.broker;

/**
 * The budget of bytes the broker holds for frames that have not fully arrived, all connections
 * together ({@code budget_partial_bytes}). Every {@link PartialFrame} counts its claim here: the
 * length its fixed header declares once the header is in, what it holds before. A declared length
 * is never allocated (the bytes are kept as they arrive), but it is claimed, so that a frame the
 * budget admitted can always finish; a frame that does not fit waits, unread, until others finish
 * or time out, rather than every partial frame stalling each other at the budget. So:
 * <ul>
 *   <li>a connection whose frame has its claim is read as usual;</li>
 *   <li>one whose frame does not fit is not read until it does (its bytes wait in the kernel, and
 *       the client's TCP window closes);</li>
 *   <li>one that holds no partial frame is read as usual below the budget (a read takes no more
 *       than is left of it, what it leaves undecoded being held), {@link #SMALL_READ} bytes at a
 *       time at it (small complete packets, a bystander's PUBLISH and PUBACK, still flow), and
 *       not at all at a quarter over it.</li>
 * </ul>
 * Stalled frames are ended by {@code frame_timeout_ms}, which gives their claims back.
 */
final class InboundBudget {

    /** What a connection with nothing held may read while the budget is reached. */
    static final int SMALL_READ = 4 * 1024;

    private final long limit;
    private final long hardLimit;
    private final BrokerStats stats;
    private long claimed;

    InboundBudget(long limit, BrokerStats stats) {
        this.limit = limit;
        this.hardLimit = quarterOver(limit);
        this.stats = stats;
    }

    /** A quarter over {@code limit}, the most a budget lets pass; no overflow for "no bound". */
    static long quarterOver(long limit) {
        return limit + Math.min(limit / 4, Long.MAX_VALUE - limit);
    }

    /** How many bytes a read from a connection that holds no partial frame may take now; 0: do not read it. */
    int readAllowance(int readBufferBytes) {
        if (claimed < hardLimit) {
            // below the budget, no more than is left of it (what a read leaves undecoded is held)
            return (int) Math.min(readBufferBytes, Math.max(SMALL_READ, limit - claimed));
        }
        return 0;
    }

    /** Whether a connection that holds no partial frame and waits for room may be read again. */
    boolean hasRoom() {
        return claimed < limit;
    }

    /** Claims {@code bytes} more if they fit in the budget; false (nothing claimed) if they do not. */
    boolean tryClaim(long bytes) {
        if (claimed + bytes > limit) {
            return false;
        }
        claim(bytes);
        return true;
    }

    /** Claims bytes that have arrived already, whether they fit or not. */
    void claim(long bytes) {
        claimed += bytes;
        stats.partialFrameBytes = claimed;
    }

    void release(long bytes) {
        claimed -= bytes;
        stats.partialFrameBytes = claimed;
    }
}
