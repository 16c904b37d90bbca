package io.checkedmqtt.core.config;

/**
 * The bounds the core keeps on what clients can make the broker hold, all sessions together,
 * and the answer it gives when one is reached (the shell keeps its own two, on partial frames and
 * on bytes queued for sockets). Counts are of things; bytes are the {@code weight} of what is
 * held: payload, topic and properties of a message, client identifier and will of a session.
 *
 * <p>{@link #defaults()} bounds nothing but User Properties, which is what a core used on its own
 * (in tests, in model checking) gets; the broker derives every bound from its maximum heap with
 * {@link #forHeap} unless told otherwise, so that everything budgeted together stays well inside it.
 *
 * @param maxSessions           kept sessions (Session Expiry above 0, 3.1.1 CleanSession 0); a
 *                              CONNECT that would create one more is refused (CONNACK 0x97 Quota
 *                              exceeded in 5.0, 0x03 Server unavailable in 3.1.1), resuming one never is
 * @param maxSessionBytes       client identifiers and wills of every session, online or not; a
 *                              CONNECT that would go over is refused in the same way
 * @param maxRetainedMessages   retained messages; a new retained topic over it is not stored
 * @param maxRetainedBytes      bytes of retained messages; likewise
 * @param maxQueuedMessages     messages held for sessions (queued, or in flight towards them), each
 *                              session's copy counted; a QoS 1/2 message for a session that would
 *                              go over is dropped for that session and counted (below)
 * @param maxQueuedBytes        bytes of those messages; likewise
 * @param maxSubscriptionBytes  subscriptions of every session, each counted as its filter's length
 *                              and 96 bytes per level, plus 128; a filter that would go over is
 *                              refused in its SUBACK (0x97 Quota exceeded in 5.0, 0x80 in 3.1.1)
 * @param maxUserProperties     User Properties one packet may carry; more is refused with 0x97
 */
public record MemoryBudget(long maxSessions, long maxSessionBytes, long maxRetainedMessages, long maxRetainedBytes,
                           long maxQueuedMessages, long maxQueuedBytes, long maxSubscriptionBytes,
                           int maxUserProperties) {

    /** No bound. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    /** User Properties per packet unless configured: far more than applications use, few enough to read at once. */
    public static final int DEFAULT_MAX_USER_PROPERTIES = 1_000;

    private static final MemoryBudget DEFAULTS = new MemoryBudget(UNBOUNDED, UNBOUNDED, UNBOUNDED, UNBOUNDED,
            UNBOUNDED, UNBOUNDED, UNBOUNDED, DEFAULT_MAX_USER_PROPERTIES);

    public MemoryBudget {
        if (maxSessions < 0 || maxSessionBytes < 0 || maxRetainedMessages < 0 || maxRetainedBytes < 0
                || maxQueuedMessages < 0 || maxQueuedBytes < 0 || maxSubscriptionBytes < 0 || maxUserProperties < 0) {
            throw new IllegalArgumentException("memory budgets must not be negative");
        }
    }

    /** Nothing bounded but the User Properties of a packet. */
    public static MemoryBudget defaults() {
        return DEFAULTS;
    }

    /**
     * The budgets for a broker whose heap may grow to {@code maxHeapBytes}: a sixteenth of it for
     * sessions, a sixteenth for retained messages, a sixteenth for subscriptions, an eighth for
     * queued messages (one message per 2 KiB of heap at most, so the per-message overhead stays
     * small too), one kept session per 16 KiB. With the shell's own sixteenths for partial frames
     * and queued socket bytes, what clients can make the broker hold stays under half the heap,
     * which leaves the rest to connections and the garbage collector's headroom.
     */
    public static MemoryBudget forHeap(long maxHeapBytes) {
        long heap = Math.max(maxHeapBytes, 16L << 20);
        return new MemoryBudget(heap / (16 * 1024), heap / 16, heap / 4096, heap / 16, heap / 2048, heap / 8,
                heap / 16, DEFAULT_MAX_USER_PROPERTIES);
    }

    public MemoryBudget withMaxSessions(long value) {
        return new MemoryBudget(value, maxSessionBytes, maxRetainedMessages, maxRetainedBytes, maxQueuedMessages,
                maxQueuedBytes, maxSubscriptionBytes, maxUserProperties);
    }

    public MemoryBudget withMaxSessionBytes(long value) {
        return new MemoryBudget(maxSessions, value, maxRetainedMessages, maxRetainedBytes, maxQueuedMessages,
                maxQueuedBytes, maxSubscriptionBytes, maxUserProperties);
    }

    public MemoryBudget withMaxRetainedMessages(long value) {
        return new MemoryBudget(maxSessions, maxSessionBytes, value, maxRetainedBytes, maxQueuedMessages,
                maxQueuedBytes, maxSubscriptionBytes, maxUserProperties);
    }

    public MemoryBudget withMaxQueuedMessages(long value) {
        return new MemoryBudget(maxSessions, maxSessionBytes, maxRetainedMessages, maxRetainedBytes, value,
                maxQueuedBytes, maxSubscriptionBytes, maxUserProperties);
    }

    public MemoryBudget withMaxSubscriptionBytes(long value) {
        return new MemoryBudget(maxSessions, maxSessionBytes, maxRetainedMessages, maxRetainedBytes, maxQueuedMessages,
                maxQueuedBytes, value, maxUserProperties);
    }
}
