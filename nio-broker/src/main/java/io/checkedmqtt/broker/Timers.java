package io.checkedmqtt.broker;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;

/**
 * Every deadline the broker keeps, in one structure the loop consults for its select timeout.
 * Keys are the core's {@code Timer} values (and a few shell keys); scheduling a key again moves
 * its deadline, as the core's {@code ScheduleTimer} effect requires.
 *
 * <p>A priority queue ordered by deadline, with a map from key to its current entry. A moved or
 * cancelled entry stays in the queue, marked dead, and is skipped when it reaches the head (lazy
 * deletion): scheduling and cancelling are O(log n) and O(1), with no search in the queue. Not
 * thread safe: only the loop thread touches it.
 */
final class Timers<K> {

    private static final class Entry<K> implements Comparable<Entry<K>> {
        final K key;
        final long deadline;
        final long sequence;
        boolean live = true;

        Entry(K key, long deadline, long sequence) {
            this.key = key;
            this.deadline = deadline;
            this.sequence = sequence;
        }

        @Override
        public int compareTo(Entry<K> other) {
            int byDeadline = Long.compare(deadline, other.deadline);
            // equal deadlines fire in the order they were scheduled
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Entry<K>> queue = new PriorityQueue<>();
    private final Map<K, Entry<K>> current = new HashMap<>();
    private long nextSequence;

    /** Fire {@code key} at or after {@code deadline}; replaces any deadline the key had. */
    void schedule(K key, long deadline) {
        Entry<K> entry = new Entry<>(key, deadline, nextSequence++);
        Entry<K> previous = current.put(key, entry);
        if (previous != null) {
            previous.live = false;
        }
        queue.add(entry);
        compactIfMostlyDead();
    }

    /** Forget {@code key} if it is pending. */
    void cancel(K key) {
        Entry<K> previous = current.remove(key);
        if (previous != null) {
            previous.live = false;
            compactIfMostlyDead();
        }
    }

    boolean isPending(K key) {
        return current.containsKey(key);
    }

    /** The deadline of {@code key}, or -1 when it is not pending. */
    long deadlineOf(K key) {
        Entry<K> entry = current.get(key);
        return entry == null ? -1 : entry.deadline;
    }

    int size() {
        return current.size();
    }

    /** The earliest pending deadline, or {@link Long#MAX_VALUE} when nothing is pending. */
    long nextDeadline() {
        dropDeadHead();
        Entry<K> head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.deadline;
    }

    /**
     * Removes every key whose deadline is at or before {@code now} and hands it to {@code fire}, in
     * deadline order. A key the callback schedules again for a time at or before {@code now} waits
     * for the next call, so a callback that keeps rescheduling cannot spin this loop forever.
     */
    int fireDue(long now, BiConsumer<K, Long> fire) {
        final long scheduledBefore = nextSequence;
        int fired = 0;
        while (true) {
            dropDeadHead();
            Entry<K> head = queue.peek();
            if (head == null || head.deadline > now || head.sequence >= scheduledBefore) {
                return fired;
            }
            queue.poll();
            current.remove(head.key);
            head.live = false;
            fired++;
            fire.accept(head.key, head.deadline);
        }
    }

    private void dropDeadHead() {
        while (!queue.isEmpty() && !queue.peek().live) {
            queue.poll();
        }
    }

    /** Keeps dead entries from piling up when keys are moved far more often than they fire (keep-alive). */
    private void compactIfMostlyDead() {
        if (queue.size() > 64 && queue.size() > 4 * current.size()) {
            queue.removeIf(entry -> !entry.live);
        }
    }
}
