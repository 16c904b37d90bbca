package io.checkedmqtt.core.collect;

import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * An immutable singly linked list: the building block of {@link PersistentQueue}. Prepending
 * shares the whole old list; operations in the middle copy only the prefix before the change and
 * share the suffix after it. Loops, not recursion, so long lists cannot overflow the stack.
 */
final class ConsList<E> {

    private static final ConsList<?> EMPTY = new ConsList<>(null, null, 0);

    private final E head;
    private final ConsList<E> tail;
    private final int size;

    private ConsList(final E head, final ConsList<E> tail, final int size) {
        this.head = head;
        this.tail = tail;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <E> ConsList<E> empty() {
        return (ConsList<E>) EMPTY;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    E head() {
        if (isEmpty()) {
            throw new NoSuchElementException("empty list");
        }
        return head;
    }

    ConsList<E> tail() {
        if (isEmpty()) {
            throw new NoSuchElementException("empty list");
        }
        return tail;
    }

    ConsList<E> prepend(final E element) {
        return new ConsList<>(element, this, size + 1);
    }

    /** The elements in reverse order, in O(n). */
    ConsList<E> reverse() {
        ConsList<E> reversed = empty();
        for (ConsList<E> at = this; !at.isEmpty(); at = at.tail) {
            reversed = reversed.prepend(at.head);
        }
        return reversed;
    }

    /** Index of the first element matching {@code test}, or -1. */
    int indexOfFirst(final Predicate<? super E> test) {
        int i = 0;
        for (ConsList<E> at = this; !at.isEmpty(); at = at.tail, i++) {
            if (test.test(at.head)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the last element matching {@code test}, or -1. */
    int indexOfLast(final Predicate<? super E> test) {
        int found = -1;
        int i = 0;
        for (ConsList<E> at = this; !at.isEmpty(); at = at.tail, i++) {
            if (test.test(at.head)) {
                found = i;
            }
        }
        return found;
    }

    /** This list without the element at {@code index}: copies the prefix, shares the rest. */
    ConsList<E> removeAt(final int index) {
        final Object[] prefix = new Object[index];
        ConsList<E> at = this;
        for (int i = 0; i < index; i++) {
            prefix[i] = at.head;
            at = at.tail;
        }
        return prependAll(prefix, index, at.tail());
    }

    /** The elements matching {@code keep}, in order; {@code this} when all match. */
    ConsList<E> filter(final Predicate<? super E> keep) {
        final Object[] kept = new Object[size];
        int count = 0;
        for (ConsList<E> at = this; !at.isEmpty(); at = at.tail) {
            if (keep.test(at.head)) {
                kept[count++] = at.head;
            }
        }
        return count == size ? this : prependAll(kept, count, empty());
    }

    /** {@code elements[0 .. count)} followed by {@code rest}. */
    @SuppressWarnings("unchecked")
    private static <E> ConsList<E> prependAll(final Object[] elements, final int count, final ConsList<E> rest) {
        ConsList<E> result = rest;
        for (int i = count - 1; i >= 0; i--) {
            result = result.prepend((E) elements[i]);
        }
        return result;
    }
}
