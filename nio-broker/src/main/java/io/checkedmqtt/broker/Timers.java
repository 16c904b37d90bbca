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
 * stays idle.
 *
 * <p>A deadline every connection has for as long as it is open (its keep-alive) would cost an
 * entry, a key and a map node per idle client that way: 88 bytes. So an object that owns such a
 * deadline can be its own {@link Entry} ({@link #scheduleOwned(Entry, long)}): then the heap holds the
 * owner itself, nothing is allocated, and the key is made only when the deadline fires. Both kinds
 * share one heap and one order. Not thread safe: only the loop thread touches it.
 */
final class Timers<K> {

    /**
     * A place in the heap. Subclassed by owners that keep one deadline of their own; the fields are
     * the heap's, not the owner's to touch.
     */
    abstract static class Entry<K> {
        long deadline;
        /** Order of scheduling: equal deadlines fire in the order they were (re)scheduled. */
        long sequence;
        /** Slot in {@link #heap}; -1 while not pending. */
        int index = -1;

        /** The key handed to the callback when the deadline fires. */
        abstract K key();

        boolean before(Entry<K> other) {
            return deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence;
        }
    }

    /** The entry of a key the map below finds. */
    private static final class Keyed<K> extends Entry<K> {
        final K key;

        Keyed(K key) {
            this.key = key;
        }

        @Override
        K key() {
            return key;
        }
    }

    @SuppressWarnings("unchecked")
    private Entry<K>[] heap = new Entry[16];
    private int size;
    private final Map<K, Keyed<K>> current = new HashMap<>();
    private long nextSequence;

    /** Fire {@code key} at or after {@code deadline}; replaces any deadline the key had. */
    void schedule(K key, long deadline) {
        Keyed<K> entry = current.get(key);
        if (entry == null) {
            entry = new Keyed<>(key);
            current.put(key, entry);
        }
        scheduleOwned(entry, deadline);
    }

    /** Fire {@code owned} (an owner's own entry) at or after {@code deadline}; replaces any deadline it had. */
    void scheduleOwned(Entry<K> owned, long deadline) {
        owned.deadline = deadline;
        owned.sequence = nextSequence++;
        if (owned.index < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            owned.index = size;
            heap[size++] = owned;
            siftUp(owned.index);
        } else {
            // later than everything: it can only move down, or up by deadline
            siftUp(owned.index);
            siftDown(owned.index);
        }
    }

    /** Forget {@code key} if it is pending. */
    void cancel(K key) {
        Keyed<K> entry = current.remove(key);
        if (entry != null) {
            removeAt(entry.index);
        }
    }

    /** Forget an owner's own entry if it is pending. */
    void cancelOwned(Entry<K> owned) {
        if (owned.index >= 0) {
            removeAt(owned.index);
        }
    }

    boolean isPending(K key) {
        return current.containsKey(key);
    }

    /** The deadline of {@code key}, or -1 when it is not pending. */
    long deadlineOf(K key) {
        Keyed<K> entry = current.get(key);
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
            K key = head.key();
            if (head instanceof Keyed) {
                current.remove(key);
            }
            removeAt(0);
            fired++;
            fire.accept(key, head.deadline);
        }
        return fired;
    }

    private void removeAt(int index) {
        heap[index].index = -1;
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
