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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class PersistentMapTest {

    /** One operation, packed in an int: bits 30-31 the kind, 8-29 the key id, 0-6 the value. */
    private static final Gen<List<Integer>> OPERATIONS = lists().of(integers().all()).ofSizeBetween(0, 250);
    private static final Gen<HashShape> SHAPES = integers().between(0, HashShape.values().length - 1)
            .map(i -> HashShape.values()[i]);
    private static final Gen<Integer> KEY_SPACES = integers().between(1, 300);

    /** A value whose hash code counts how often it is asked for (a deep value, such as a session, is costly to hash). */
    private static final class CountingValue {
        int hashed;

        @Override
        public int hashCode() {
            hashed++;
            return 7;
        }
    }

    @Test
    @DisplayName("put and remove never hash values: an update costs O(log32 n) however large the value")
    void updatesDoNotHashValues() {
        final List<CountingValue> values = new ArrayList<>();
        PersistentMap<Integer, CountingValue> map = PersistentMap.empty();
        for (int i = 0; i < 1000; i++) {
            final CountingValue value = new CountingValue();
            values.add(value);
            map = map.put(i % 100, value);
        }
        for (int i = 0; i < 50; i++) {
            map = map.remove(i);
        }
        for (final CountingValue value : values) {
            assertEquals(0, value.hashed);
        }
        assertEquals(50, map.size());
        // the hash code is still the java.util.Map one, computed when asked for
        final Map<Integer, CountingValue> model = new HashMap<>();
        map.forEach(model::put);
        assertEquals(model.hashCode(), map.hashCode());
    }

    @Test
    @DisplayName("behaves like java.util.HashMap over any operation sequence, with colliding and deep keys")
    void matchesHashMap() {
        qt().withExamples(300).forAll(OPERATIONS, SHAPES, KEY_SPACES).checkAssert((ops, shape, keySpace) -> {
            PersistentMap<TestKey, Integer> map = PersistentMap.empty();
            final Map<TestKey, Integer> model = new HashMap<>();
            for (final int op : ops) {
                final TestKey key = new TestKey(((op >>> 8) & 0x3F_FFFF) % keySpace, shape);
                final Integer value = op & 0x7F; // from the Integer cache (-128..127): identical when equal
                switch (op >>> 30) {
                    case 0, 1 -> {
                        final PersistentMap<TestKey, Integer> next = map.put(key, value);
                        if (value.equals(model.get(key))) {
                            assertSame(map, next, "put of the identical value returns this");
                        }
                        model.put(key, value);
                        map = next;
                    }
                    case 2 -> {
                        final PersistentMap<TestKey, Integer> next = map.remove(key);
                        if (!model.containsKey(key)) {
                            assertSame(map, next, "remove of an absent key returns this");
                        }
                        model.remove(key);
                        map = next;
                    }
                    default -> assertEquals(model.get(key), map.get(key));
                }
                assertEquals(model.size(), map.size());
            }
            assertSameContent(model, map, keySpace, shape);
        });
    }

    @Test
    @DisplayName("an old version is unchanged after any update of a newer one")
    void oldVersionsAreUnchanged() {
        qt().withExamples(100).forAll(OPERATIONS, SHAPES, KEY_SPACES).checkAssert((ops, shape, keySpace) -> {
            final List<PersistentMap<TestKey, Integer>> versions = new ArrayList<>();
            final List<Map<TestKey, Integer>> snapshots = new ArrayList<>();
            PersistentMap<TestKey, Integer> map = PersistentMap.empty();
            final Map<TestKey, Integer> model = new HashMap<>();
            for (final int op : ops) {
                // Branch from an earlier version now and then, so updates hit shared nodes.
                final int from = (op & 0x300) == 0 && !versions.isEmpty() ? (op >>> 10) % versions.size() : -1;
                if (from >= 0) {
                    map = versions.get(from);
                    model.clear();
                    model.putAll(snapshots.get(from));
                }
                final TestKey key = new TestKey(((op >>> 12) & 0x3_FFFF) % keySpace, shape);
                if (op < 0) {
                    map = map.remove(key);
                    model.remove(key);
                } else {
                    map = map.put(key, op & 0xFF);
                    model.put(key, op & 0xFF);
                }
                versions.add(map);
                snapshots.add(new HashMap<>(model));
            }
            for (int i = 0; i < versions.size(); i++) {
                assertEquals(snapshots.get(i), toHashMap(versions.get(i)), "version " + i);
                assertEquals(snapshots.get(i).size(), versions.get(i).size());
            }
            if (!versions.isEmpty()) {
                assertSameContent(snapshots.get(0), versions.get(0), keySpace, shape);
            }
        });
    }

    @Test
    @DisplayName("equal content means equal maps and equal hash codes, whatever the insertion order")
    void equalityIsByContent() {
        qt().withExamples(200).forAll(OPERATIONS, SHAPES).checkAssert((ops, shape) -> {
            PersistentMap<TestKey, Integer> forward = PersistentMap.empty();
            PersistentMap<TestKey, Integer> backward = PersistentMap.empty();
            for (final int op : ops) {
                forward = forward.put(new TestKey(op & 0x3F, shape), op >>> 24);
            }
            for (final Map.Entry<TestKey, Integer> e : reversed(forward)) {
                backward = backward.put(e.getKey(), e.getValue());
            }
            assertEquals(forward, backward);
            assertEquals(forward.hashCode(), backward.hashCode());
            assertEquals(toHashMap(forward).hashCode(), forward.hashCode(), "java.util.Map hash code");
            if (!forward.isEmpty()) {
                final TestKey someKey = forward.iterator().next().getKey();
                final PersistentMap<TestKey, Integer> changed = forward.put(someKey, forward.get(someKey) + 1000);
                assertNotEquals(forward, changed);
                assertNotEquals(forward, forward.remove(someKey));
                assertEquals(forward, changed.put(someKey, forward.get(someKey)));
            }
        });
    }

    @Test
    @DisplayName("100,000 connection-sized entries: put, look up, remove, with old versions intact")
    void largeMap() {
        PersistentMap<Long, Long> map = PersistentMap.empty();
        for (long i = 0; i < 100_000; i++) {
            map = map.put(i, i * 7);
        }
        final PersistentMap<Long, Long> full = map;
        assertEquals(100_000, full.size());
        ChampInvariants.check(full);
        for (long i = 0; i < 100_000; i += 2) {
            map = map.remove(i);
        }
        assertEquals(50_000, map.size());
        ChampInvariants.check(map);
        for (long i = 0; i < 100_000; i++) {
            assertEquals(i * 7, full.get(i));
            assertEquals(i % 2 == 0 ? null : i * 7, map.get(i));
        }
        long sum = 0;
        for (final long v : map.values()) {
            sum += v;
        }
        assertEquals(7L * 50_000L * 50_000L, sum, "sum of 7 * odd numbers below 100,000");
    }

    @Test
    @DisplayName("the empty map, nulls, getOrDefault, toString and exhausted iterators")
    void edges() {
        final PersistentMap<String, Integer> empty = PersistentMap.empty();
        assertTrue(empty.isEmpty());
        assertEquals("{}", empty.toString());
        assertSame(empty, empty.remove("a"));
        assertThrows(NullPointerException.class, () -> empty.put(null, 1));
        assertThrows(NullPointerException.class, () -> empty.put("a", null));
        assertThrows(NullPointerException.class, () -> empty.get(null));
        final PersistentMap<String, Integer> one = PersistentMap.of("a", 1);
        assertFalse(one.isEmpty());
        assertEquals("{a=1}", one.toString());
        assertEquals(1, one.getOrDefault("a", 9));
        assertEquals(9, one.getOrDefault("b", 9));
        assertTrue(one.containsKey("a"));
        assertFalse(one.containsKey("b"));
        assertNull(one.get("b"));
        assertSame(empty, one.remove("a"));
        assertEquals(List.of(Map.entry("a", 1)), toList(one));
        final Iterator<String> keys = one.keys().iterator();
        assertEquals("a", keys.next());
        assertFalse(keys.hasNext());
        assertThrows(NoSuchElementException.class, keys::next);
        assertFalse(one.equals("a"));
    }

    private static void assertSameContent(final Map<TestKey, Integer> model, final PersistentMap<TestKey, Integer> map,
                                          final int keySpace, final HashShape shape) {
        assertEquals(model.size(), map.size());
        assertEquals(model.isEmpty(), map.isEmpty());
        for (int id = 0; id < keySpace; id++) {
            final TestKey key = new TestKey(id, shape);
            assertEquals(model.get(key), map.get(key), () -> "value of " + key);
            assertEquals(model.containsKey(key), map.containsKey(key));
        }
        assertEquals(model, toHashMap(map), "iteration yields exactly the entries");
        final Map<TestKey, Integer> viaForEach = new HashMap<>();
        map.forEach(viaForEach::put);
        assertEquals(model, viaForEach);
        final List<TestKey> keys = new ArrayList<>();
        map.keys().forEach(keys::add);
        final List<Integer> values = new ArrayList<>();
        map.values().forEach(values::add);
        assertEquals(map.size(), keys.size());
        assertEquals(map.size(), values.size());
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(model.get(keys.get(i)), values.get(i), "keys() and values() in the same order");
        }
        assertEquals(model.hashCode(), map.hashCode());
        ChampInvariants.check(map);
    }

    private static <K, V> Map<K, V> toHashMap(final PersistentMap<K, V> map) {
        final Map<K, V> out = new HashMap<>();
        for (final Map.Entry<K, V> e : map) {
            assertNull(out.put(e.getKey(), e.getValue()), "a key iterated twice");
        }
        return out;
    }

    private static <K, V> List<Map.Entry<K, V>> toList(final PersistentMap<K, V> map) {
        final List<Map.Entry<K, V>> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(Map.entry(k, v)));
        return out;
    }

    private static <K, V> List<Map.Entry<K, V>> reversed(final PersistentMap<K, V> map) {
        final List<Map.Entry<K, V>> out = toList(map);
        java.util.Collections.reverse(out);
        return out;
    }
}
