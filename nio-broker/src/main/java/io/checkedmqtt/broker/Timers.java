package io.checkedmqtt.broker;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Every deadline the broker keeps, in one structure the loop consults for its select timeout.
 * Keys are the core's {@code Timer} values (and a few shell keys); scheduling a key again moves
 * its deadline, as the core's {@code ScheduleTimer} effect requires.
 *
 * <p>A binary min-heap ordered by deadline whose entries know their own slot, with a map from key
 * to its entry. Moving a key updates its entry in place and cancelling one takes it out of the
 * heap at once: both O(log n), with no search in the heap and nothing left behind. That matters
 * for memory: every connection schedules a CONNECT timeout that CONNECT cancels moments later, and
 * with lazy deletion each of them would stay in the heap, dead, for as long as the connection
 * stays idle. Not thread safe: only the loop thread touches it.
 */
final class Timers<K> {

    private static final class Entry<K> {
        final K key;
        long deadline;
        /** Order of scheduling: equal deadlines fire in the order they were (re)scheduled. */
        long sequence;
        /** Slot in {@link #heap}. */
        int index;

        Entry(K key) {
            this.key = key;
        }

        boolean before(Entry<K> other) {
            return deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence;
        }
    }

    @SuppressWarnings("unchecked")
    private Entry<K>[] heap = new Entry[16];
    private int size;
    private final Map<K, Entry<K>> current = new HashMap<>();
    private long nextSequence;

    /** Fire {@code key} at or after {@code deadline}; replaces any deadline the key had. */
    void schedule(K key, long deadline) {
        Entry<K> entry = current.get(key);
        if (entry == null) {
            entry = new Entry<>(key);
            current.put(key, entry);
            entry.deadline = deadline;
            entry.sequence = nextSequence++;
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            entry.index = size;
            heap[size++] = entry;
            siftUp(entry.index);
        } else {
            entry.deadline = deadline;
            entry.sequence = nextSequence++;   // later than everything: it can only move down, or up by deadline
            siftUp(entry.index);
            siftDown(entry.index);
        }
    }

    /** Forget {@code key} if it is pending. */
    void cancel(K key) {
        Entry<K> entry = current.remove(key);
        if (entry != null) {
            removeAt(entry.index);
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
        return size;
    }

    /** The earliest pending deadline, or {@link Long#MAX_VALUE} when nothing is pending. */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /**
     * Removes every key whose deadline is at or before {@code now} and hands it to {@code fire}, in
     * deadline order. A key the callback schedules again for a time at or before {@code now} waits
     * for the next call, so a callback that keeps rescheduling cannot spin this loop forever.
     */
    int fireDue(long now, BiConsumer<K, Long> fire) {
        final long scheduledBefore = nextSequence;
        int fired = 0;
        while (size > 0) {
            Entry<K> head = heap[0];
            if (head.deadline > now || head.sequence >= scheduledBefore) {
                break;
            }
            current.remove(head.key);
            removeAt(0);
            fired++;
            fire.accept(head.key, head.deadline);
        }
        return fired;
    }

    private void removeAt(int index) {
        Entry<K> last = heap[--size];
        heap[size] = null;
        if (index < size) {
            heap[index] = last;
            last.index = index;
            siftUp(index);
            siftDown(last.index);
        }
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);   // give back what a burst of timers grew
        }
    }

    private void siftUp(int index) {
        Entry<K> entry = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            Entry<K> above = heap[parent];
            if (!entry.before(above)) {
                break;
            }
            heap[index] = above;
            above.index = index;
            index = parent;
        }
        heap[index] = entry;
        entry.index = index;
    }

    private void siftDown(int index) {
        Entry<K> entry = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) {
                child = right;
            }
            if (!heap[child].before(entry)) {
                break;
            }
            heap[index] = heap[child];
            heap[index].index = index;
            index = child;
        }
        heap[index] = entry;
        entry.index = index;
    }
}
