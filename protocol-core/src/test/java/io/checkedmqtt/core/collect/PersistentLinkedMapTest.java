package io.checkedmqtt.core.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.checkedmqtt.core.collect.TestKey.HashShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class PersistentLinkedMapTest {

    /** One operation per int: bits 29-31 the kind, 8-28 the key id, 0-6 the value. */
    private static final Gen<List<Integer>> OPERATIONS = lists().of(integers().all()).ofSizeBetween(0, 250);
    private static final Gen<HashShape> SHAPES = integers().between(0, HashShape.values().length - 1)
            .map(i -> HashShape.values()[i]);
    private static final Gen<Integer> KEY_SPACES = integers().between(1, 200);

    @Test
    @DisplayName("v3.1.1+v5 [MQTT-4.4.0-1] in-flight entries keep their original send order: behaves like LinkedHashMap")
    void matchesLinkedHashMap() {
        qt().withExamples(250).forAll(OPERATIONS, SHAPES, KEY_SPACES).checkAssert((ops, shape, keySpace) -> {
            PersistentLinkedMap<TestKey, Integer> map = PersistentLinkedMap.empty();
            final LinkedHashMap<TestKey, Integer> model = new LinkedHashMap<>();
            for (final int op : ops) {
                final TestKey key = new TestKey(((op >>> 8) & 0x1F_FFFF) % keySpace, shape);
                final Integer value = op & 0x7F; // from the Integer cache: identical when equal
                switch (op >>> 29) {
                    case 0, 1, 2 -> {
                        final PersistentLinkedMap<TestKey, Integer> next = map.put(key, value);
                        if (value.equals(model.get(key))) {
                            assertSame(map, next, "put of the identical value returns this");
                        }
                        model.put(key, value); // an existing key keeps its position
                        map = next;
                    }
                    case 3, 4 -> {
                        final PersistentLinkedMap<TestKey, Integer> next = map.remove(key);
                        if (!model.containsKey(key)) {
                            assertSame(map, next, "remove of an absent key returns this");
                        }
                        model.remove(key);
                        map = next;
                    }
                    case 5 -> {
                        map = map.putLast(key, value);
                        model.remove(key);
                        model.put(key, value);
                    }
                    default -> {
                        assertEquals(model.get(key), map.get(key));
                        assertEquals(model.containsKey(key), map.containsKey(key));
                    }
                }
                assertEquals(model.size(), map.size());
            }
            assertSameContent(model, map, keySpace, shape);
        });
    }

    @Test
    @DisplayName("an old version keeps its entries and their order after updates of newer ones")
    void oldVersionsAreUnchanged() {
        qt().withExamples(100).forAll(OPERATIONS, KEY_SPACES).checkAssert((ops, keySpace) -> {
            final List<PersistentLinkedMap<Integer, Integer>> versions = new ArrayList<>();
            final List<List<Map.Entry<Integer, Integer>>> snapshots = new ArrayList<>();
            PersistentLinkedMap<Integer, Integer> map = PersistentLinkedMap.empty();
            LinkedHashMap<Integer, Integer> model = new LinkedHashMap<>();
            for (final int op : ops) {
                if ((op & 0x300) == 0 && !versions.isEmpty()) {
                    final int from = (op >>> 10) % versions.size();
                    map = versions.get(from);
                    model = new LinkedHashMap<>();
                    for (final Map.Entry<Integer, Integer> e : snapshots.get(from)) {
                        model.put(e.getKey(), e.getValue());
                    }
                }
                final int key = ((op >>> 12) & 0x3_FFFF) % keySpace;
                if (op < 0) {
                    map = map.remove(key);
                    model.remove(key);
                } else {
                    map = map.put(key, op & 0xFF);
                    model.put(key, op & 0xFF);
                }
                versions.add(map);
                snapshots.add(List.copyOf(model.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList()));
            }
            for (int i = 0; i < versions.size(); i++) {
                assertEquals(snapshots.get(i), toList(versions.get(i)), "version " + i);
            }
        });
    }

    @Test
    @DisplayName("equal entries in equal order are equal maps; a different order is a different map")
    void equalityIsOrdered() {
        final PersistentLinkedMap<Integer, String> ab = PersistentLinkedMap.<Integer, String>empty().put(1, "a").put(2, "b");
        final PersistentLinkedMap<Integer, String> ba = PersistentLinkedMap.<Integer, String>empty().put(2, "b").put(1, "a");
        final PersistentLinkedMap<Integer, String> viaRemove = ab.put(3, "c").remove(3);
        assertEquals(ab, viaRemove);
        assertEquals(ab.hashCode(), viaRemove.hashCode());
        assertNotEquals(ab, ba);
        assertEquals(ab, ba.putLast(2, "b"));
        assertEquals(List.of(Map.entry(1, "a"), Map.entry(2, "b")).hashCode(), ab.hashCode());
        assertNotEquals(ab, ab.put(2, "c"));
        assertEquals("{1=a, 2=b}", ab.toString());
    }

    @Test
    @DisplayName("65,535 in-flight packet ids: ordered iteration and O(log n) removal from the middle")
    void largeMap() {
        PersistentLinkedMap<Integer, Integer> map = PersistentLinkedMap.empty();
        // Packet ids in a rotated order, so insertion order differs from key order.
        for (int i = 0; i < 65_535; i++) {
            final int packetId = (i + 40_000) % 65_535 + 1;
            map = map.put(packetId, i);
        }
        for (int i = 0; i < 65_535; i += 2) {
            map = map.remove((i + 40_000) % 65_535 + 1);
        }
        checkAvl(map.order());
        assertEquals(32_767, map.size());
        int expected = 1;
        for (final Map.Entry<Integer, Integer> e : map) {
            assertEquals(expected, e.getValue());
            assertEquals((expected + 40_000) % 65_535 + 1, e.getKey());
            expected += 2;
        }
        assertEquals(65_535, expected);
        assertEquals(Map.entry(40_002, 1), map.first());
    }

    @Test
    @DisplayName("the empty map, nulls, first() and getOrDefault")
    void edges() {
        final PersistentLinkedMap<String, Integer> empty = PersistentLinkedMap.empty();
        assertTrue(empty.isEmpty());
        assertEquals("{}", empty.toString());
        assertThrows(NoSuchElementException.class, empty::first);
        assertThrows(NullPointerException.class, () -> empty.put(null, 1));
        assertThrows(NullPointerException.class, () -> empty.put("a", null));
        assertFalse(empty.iterator().hasNext());
        assertThrows(NoSuchElementException.class, () -> empty.iterator().next());
        final PersistentLinkedMap<String, Integer> one = empty.put("a", 1);
        assertEquals(1, one.getOrDefault("a", 9));
        assertEquals(9, one.getOrDefault("b", 9));
        assertNull(one.get("b"));
        assertSame(empty, one.remove("a"));
        assertFalse(one.equals("a"));
    }

    private static void assertSameContent(final LinkedHashMap<TestKey, Integer> model,
                                          final PersistentLinkedMap<TestKey, Integer> map,
                                          final int keySpace, final HashShape shape) {
        assertEquals(model.size(), map.size());
        assertEquals(model.isEmpty(), map.isEmpty());
        for (int id = 0; id < keySpace; id++) {
            final TestKey key = new TestKey(id, shape);
            assertEquals(model.get(key), map.get(key));
        }
        final List<Map.Entry<TestKey, Integer>> expected = new ArrayList<>();
        model.forEach((k, v) -> expected.add(Map.entry(k, v)));
        assertEquals(expected, toList(map), "entries in insertion order");
        final List<Map.Entry<TestKey, Integer>> viaForEach = new ArrayList<>();
        map.forEach((k, v) -> viaForEach.add(Map.entry(k, v)));
        assertEquals(expected, viaForEach);
        final List<TestKey> keys = new ArrayList<>();
        map.keys().forEach(keys::add);
        assertEquals(List.copyOf(model.keySet()), keys);
        final List<Integer> values = new ArrayList<>();
        map.values().forEach(values::add);
        assertEquals(List.copyOf(model.values()), values);
        if (!model.isEmpty()) {
            assertEquals(expected.get(0), map.first());
        }
        assertEquals(expected.hashCode(), map.hashCode());
        PersistentLinkedMap<TestKey, Integer> rebuilt = PersistentLinkedMap.empty();
        for (final Map.Entry<TestKey, Integer> e : expected) {
            rebuilt = rebuilt.put(e.getKey(), e.getValue());
        }
        assertEquals(rebuilt, map);
        assertEquals(model.size(), checkAvl(map.order()));
    }

    /** Asserts the order index is an AVL search tree; returns its node count. */
    private static int checkAvl(final SeqTree<?> tree) {
        if (tree == null) {
            return 0;
        }
        final SeqTree<?> left = tree.left();
        final SeqTree<?> right = tree.right();
        assertTrue(left == null || left.seq() < tree.seq(), "left child out of order");
        assertTrue(right == null || right.seq() > tree.seq(), "right child out of order");
        assertTrue(Math.abs(SeqTree.height(left) - SeqTree.height(right)) <= 1, "unbalanced");
        assertEquals(Math.max(SeqTree.height(left), SeqTree.height(right)) + 1, SeqTree.height(tree));
        return 1 + checkAvl(left) + checkAvl(right);
    }

    private static <K, V> List<Map.Entry<K, V>> toList(final PersistentLinkedMap<K, V> map) {
        final List<Map.Entry<K, V>> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(Map.entry(k, v)));
        return out;
    }
}
