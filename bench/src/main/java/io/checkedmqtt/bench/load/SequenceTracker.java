package io.checkedmqtt.bench.load;

import java.util.BitSet;

/**
 * Bookkeeping of one message stream (one publisher as seen by one subscriber). Sequence numbers
 * start at 0 and rise by one per message, so a bit per number is enough to tell:
 * <ul>
 *   <li>a <b>duplicate</b>: a number seen before;</li>
 *   <li><b>out of order</b>: a new number lower than the highest seen so far (MQTT keeps the
 *       order of messages from one publisher on one topic at one QoS, [MQTT-4.6.0-5]/[MQTT-4.6.0-6]);</li>
 *   <li><b>lost</b>: numbers the publisher sent that never arrived, known only at the end;</li>
 *   <li><b>unexpected</b>: numbers the publisher never sent (a corrupted or foreign message).</li>
 * </ul>
 * Not thread-safe: the load tool runs one selector thread.
 */
final class SequenceTracker {
    private final BitSet seen = new BitSet();
    private long highest = -1;
    private long unique;
    private long duplicates;
    private long outOfOrder;
    private long unexpected;

    /** Records one received message and returns true when it is new (neither duplicate nor invalid). */
    boolean record(final long sequence) {
        if (sequence < 0 || sequence > Integer.MAX_VALUE) {
            unexpected++;
            return false;
        }
        final int index = (int) sequence;
        if (seen.get(index)) {
            duplicates++;
            return false;
        }
        seen.set(index);
        unique++;
        if (sequence < highest) {
            outOfOrder++;
        } else {
            highest = sequence;
        }
        return true;
    }

    long unique() {
        return unique;
    }

    long duplicates() {
        return duplicates;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    /**
     * Messages lost, given that the publisher sent sequence numbers 0 to {@code published - 1}.
     * Numbers at or above {@code published} count as unexpected instead.
     */
    long lost(final long published) {
        final long inRange = published <= 0 ? 0 : seen.get(0, (int) Math.min(published, Integer.MAX_VALUE)).cardinality();
        return published - inRange;
    }

    /** Numbers outside what the publisher sent, including those at or above {@code published}. */
    long unexpected(final long published) {
        final long inRange = published <= 0 ? 0 : seen.get(0, (int) Math.min(published, Integer.MAX_VALUE)).cardinality();
        return unexpected + unique - inRange;
    }
}
