package io.checkedmqtt.core.collect;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An immutable FIFO queue with structural sharing, for per-session message queues.
 *
 * <p>It is the two-list "banker's queue" (Okasaki, <i>Purely Functional Data Structures</i>,
 * 5.2): {@code front} holds the oldest elements in order, {@code rear} the newest in reverse
 * order. {@link #append} prepends to {@code rear}; {@link #tail} drops the head of
 * {@code front}, and when {@code front} runs out, {@code rear} is reversed into the new front.
 * Invariant: {@code front} is empty only when the whole queue is, so {@link #head} is O(1).
 *
 * <p><b>Cost.</b> {@link #append}, {@link #head}, {@link #size} and {@link #isEmpty} are O(1) in
 * the worst case. {@link #tail} is O(1) amortised <em>when the versions are used one after the
 * other</em>, as the broker does (each state replaces the previous one): every element is moved
 * from rear to front at most once. If one old version whose front has a single element is asked
 * for its {@code tail()} again and again, each call pays the O(n) reversal again; a queue with
 * worst-case O(1) under any persistent use needs lazy, memoised suspensions (Okasaki's
 * real-time queue), which would need mutable fields, so this class does not offer it.
 *
 * <p>Elements must not be null. Equality is element-wise in order; {@link #hashCode} is the
 * {@link java.util.List#hashCode()} of the elements and costs O(n).
 */
public final class PersistentQueue<E> implements Iterable<E> {

    private static final PersistentQueue<?> EMPTY = new PersistentQueue<>(ConsList.empty(), ConsList.empty());

    private final ConsList<E> front;
    private final ConsList<E> rear;

    private PersistentQueue(final ConsList<E> front, final ConsList<E> rear) {
        this.front = front;
        this.rear = rear;
    }

    @SuppressWarnings("unchecked")
    public static <E> PersistentQueue<E> empty() {
        return (PersistentQueue<E>) EMPTY;
    }

    /** A queue of {@code elements}, the first one at the head. */
    @SafeVarargs
    public static <E> PersistentQueue<E> of(final E... elements) {
        PersistentQueue<E> queue = empty();
        for (final E element : elements) {
            queue = queue.append(element);
        }
        return queue;
    }

    /** Keeps the invariant: a non-empty queue has a non-empty front. */
    private static <E> PersistentQueue<E> normalized(final ConsList<E> front, final ConsList<E> rear) {
        if (front.isEmpty()) {
            return rear.isEmpty() ? empty() : new PersistentQueue<>(rear.reverse(), ConsList.empty());
        }
        return new PersistentQueue<>(front, rear);
    }

    public boolean isEmpty() {
        return front.isEmpty();
    }

    public int size() {
        return front.size() + rear.size();
    }

    /** This queue with {@code element} added at the end. O(1). */
    public PersistentQueue<E> append(final E element) {
        Objects.requireNonNull(element, "element");
        return front.isEmpty()
                ? new PersistentQueue<>(ConsList.<E>empty().prepend(element), rear)
                : new PersistentQueue<>(front, rear.prepend(element));
    }

    /** The oldest element. O(1). */
    public E head() {
        if (isEmpty()) {
            throw new NoSuchElementException("empty queue");
        }
        return front.head();
    }

    /** This queue without its oldest element (remove-first). O(1) amortised, see the class comment. */
    public PersistentQueue<E> tail() {
        if (isEmpty()) {
            throw new NoSuchElementException("empty queue");
        }
        return normalized(front.tail(), rear);
    }

    /**
     * This queue without the oldest element that matches {@code test}; {@code this} when none
     * does. O(n): copies the part before the element, shares the part after it when it can.
     */
    public PersistentQueue<E> removeFirstMatching(final Predicate<? super E> test) {
        final int inFront = front.indexOfFirst(test);
        if (inFront >= 0) {
            return normalized(front.removeAt(inFront), rear);
        }
        // rear is newest-first, so the oldest match there is its last match.
        final int inRear = rear.indexOfLast(test);
        return inRear < 0 ? this : normalized(front, rear.removeAt(inRear));
    }

    /** The elements that match {@code keep}, in order; {@code this} when all of them do. O(n). */
    public PersistentQueue<E> filter(final Predicate<? super E> keep) {
        final ConsList<E> keptFront = front.filter(keep);
        final ConsList<E> keptRear = rear.filter(keep);
        return keptFront == front && keptRear == rear ? this : normalized(keptFront, keptRear);
    }

    /** Oldest first. Reverses the rear list once, when the iteration reaches it. */
    @Override
    public Iterator<E> iterator() {
        return new QueueIterator<>(front, rear);
    }

    @Override
    public boolean equals(final Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof PersistentQueue<?> that) || size() != that.size()) {
            return false;
        }
        final Iterator<?> theirs = that.iterator();
        for (final E mine : this) {
            if (!mine.equals(theirs.next())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (final E element : this) {
            hash = 31 * hash + element.hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder("[");
        for (final E element : this) {
            out.append(out.length() == 1 ? "" : ", ").append(element);
        }
        return out.append(']').toString();
    }

    /** Walks front, then the reversed rear. Its cursor lives in a final one-slot array. */
    private static final class QueueIterator<E> implements Iterator<E> {

        private final ConsList<E> rear;
        /** {@code [0]}: the rest of the list being walked; {@code [1]}: non-null once on the rear. */
        private final Object[] cursor;

        QueueIterator(final ConsList<E> front, final ConsList<E> rear) {
            this.rear = rear;
            this.cursor = new Object[] {front, null};
        }

        @SuppressWarnings("unchecked")
        private ConsList<E> current() {
            return (ConsList<E>) cursor[0];
        }

        @Override
        public boolean hasNext() {
            if (current().isEmpty() && cursor[1] == null) {
                cursor[0] = rear.reverse();
                cursor[1] = Boolean.TRUE;
            }
            return !current().isEmpty();
        }

        @Override
        public E next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            final ConsList<E> at = current();
            cursor[0] = at.tail();
            return at.head();
        }
    }
}
