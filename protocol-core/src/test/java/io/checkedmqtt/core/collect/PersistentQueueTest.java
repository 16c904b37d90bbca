package io.checkedmqtt.core.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class PersistentQueueTest {

    /** An element whose tag repeats, so "the first one matching" differs from "any one matching". */
    private record Item(int tag, int serial) {
    }

    /** One operation per int: bits 29-31 the kind, bits 0-2 a tag, bits 3-20 a version to branch from. */
    private static final Gen<List<Integer>> OPERATIONS = lists().of(integers().all()).ofSizeBetween(0, 300);

    @Test
    @DisplayName("behaves like java.util.ArrayDeque over any sequence of append, tail, removeFirstMatching, filter")
    void matchesArrayDeque() {
        qt().withExamples(300).forAll(OPERATIONS).checkAssert(ops -> {
            PersistentQueue<Item> queue = PersistentQueue.empty();
            final ArrayDeque<Item> model = new ArrayDeque<>();
            int serial = 0;
            for (final int op : ops) {
                final int tag = op & 7;
                switch (op >>> 29) {
                    case 0, 1, 2 -> {
                        final Item item = new Item(tag, serial++);
                        queue = queue.append(item);
                        model.addLast(item);
                    }
                    case 3, 4 -> {
                        if (model.isEmpty()) {
                            final PersistentQueue<Item> empty = queue;
                            assertThrows(NoSuchElementException.class, empty::tail);
                            assertThrows(NoSuchElementException.class, empty::head);
                        } else {
                            assertEquals(model.peekFirst(), queue.head());
                            queue = queue.tail();
                            model.removeFirst();
                        }
                    }
                    case 5, 6 -> {
                        final PersistentQueue<Item> next = queue.removeFirstMatching(i -> i.tag() == tag);
                        final Item first = model.stream().filter(i -> i.tag() == tag).findFirst().orElse(null);
                        if (first == null) {
                            assertSame(queue, next, "nothing matched: this");
                        } else {
                            model.removeFirstOccurrence(first);
                        }
                        queue = next;
                    }
                    default -> {
                        final PersistentQueue<Item> next = queue.filter(i -> i.tag() != tag);
                        if (!model.removeIf(i -> i.tag() == tag)) {
                            assertSame(queue, next, "everything kept: this");
                        }
                        queue = next;
                    }
                }
                assertEquals(model.size(), queue.size());
                assertEquals(model.isEmpty(), queue.isEmpty());
            }
            assertSameContent(model, queue);
        });
    }

    @Test
    @DisplayName("an old version is unchanged after updates of newer ones, also when its tail is taken repeatedly")
    void oldVersionsAreUnchanged() {
        qt().withExamples(150).forAll(OPERATIONS).checkAssert(ops -> {
            final List<PersistentQueue<Integer>> versions = new ArrayList<>();
            final List<List<Integer>> snapshots = new ArrayList<>();
            PersistentQueue<Integer> queue = PersistentQueue.empty();
            ArrayDeque<Integer> model = new ArrayDeque<>();
            int serial = 0;
            for (final int op : ops) {
                if ((op & 0x18) == 0 && !versions.isEmpty()) {
                    final int from = ((op >>> 3) & 0x3_FFFF) % versions.size();
                    queue = versions.get(from);
                    model = new ArrayDeque<>(snapshots.get(from));
                }
                if (op < 0 && !model.isEmpty()) {
                    queue = queue.tail();
                    model.removeFirst();
                } else {
                    queue = queue.append(serial);
                    model.addLast(serial++);
                }
                versions.add(queue);
                snapshots.add(List.copyOf(model));
            }
            for (int i = 0; i < versions.size(); i++) {
                assertEquals(snapshots.get(i), toList(versions.get(i)), "version " + i);
            }
        });
    }

    @Test
    @DisplayName("equal elements in equal order are equal queues, however front and rear split them")
    void equalityIsElementwise() {
        qt().withExamples(200).forAll(lists().of(integers().between(0, 5)).ofSizeBetween(0, 40), integers().between(0, 40))
                .checkAssert((elements, dropped) -> {
                    final PersistentQueue<Integer> direct = PersistentQueue.of(elements.toArray(new Integer[0]));
                    // Same elements reached another way: extra ones in front, taken off again.
                    PersistentQueue<Integer> roundabout = PersistentQueue.empty();
                    for (int i = 0; i < dropped; i++) {
                        roundabout = roundabout.append(-1);
                    }
                    for (final Integer e : elements) {
                        roundabout = roundabout.append(e);
                    }
                    for (int i = 0; i < dropped; i++) {
                        roundabout = roundabout.tail();
                    }
                    assertEquals(direct, roundabout);
                    assertEquals(direct.hashCode(), roundabout.hashCode());
                    assertEquals(elements.hashCode(), direct.hashCode(), "java.util.List hash code");
                    assertEquals(elements.toString(), direct.toString());
                    assertNotEquals(direct, direct.append(9));
                    if (!elements.isEmpty()) {
                        assertNotEquals(direct, direct.tail().append(elements.get(0) + 1));
                    }
                });
    }

    @Test
    @DisplayName("a 100,000-message queue drains in order")
    void largeQueue() {
        PersistentQueue<Integer> queue = PersistentQueue.empty();
        for (int i = 0; i < 100_000; i++) {
            queue = queue.append(i);
        }
        final PersistentQueue<Integer> full = queue;
        for (int i = 0; i < 100_000; i++) {
            assertEquals(i, queue.head());
            queue = queue.tail();
        }
        assertTrue(queue.isEmpty());
        assertEquals(100_000, full.size());
        final PersistentQueue<Integer> without = full.removeFirstMatching(i -> i == 50_000);
        int expected = 0;
        for (final int element : without) {
            expected += expected == 50_000 ? 1 : 0;
            assertEquals(expected++, element);
        }
        assertEquals(100_000, expected);
        assertEquals(99_999, without.size());
    }

    @Test
    @DisplayName("the empty queue, nulls and exhausted iterators")
    void edges() {
        final PersistentQueue<String> empty = PersistentQueue.empty();
        assertTrue(empty.isEmpty());
        assertEquals("[]", empty.toString());
        assertSame(empty, PersistentQueue.of());
        assertThrows(NullPointerException.class, () -> empty.append(null));
        final PersistentQueue<String> one = empty.append("a");
        assertFalse(one.isEmpty());
        assertSame(empty, one.tail());
        final Iterator<String> it = one.iterator();
        assertEquals("a", it.next());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
        assertFalse(one.equals("a"));
    }

    private static void assertSameContent(final ArrayDeque<Item> model, final PersistentQueue<Item> queue) {
        assertEquals(List.copyOf(model), toList(queue));
        assertEquals(List.copyOf(model).hashCode(), queue.hashCode());
        if (!model.isEmpty()) {
            assertEquals(model.peekFirst(), queue.head());
        }
    }

    private static <E> List<E> toList(final PersistentQueue<E> queue) {
        final List<E> out = new ArrayList<>();
        queue.forEach(out::add);
        assertEquals(queue.size(), out.size());
        return out;
    }
}
