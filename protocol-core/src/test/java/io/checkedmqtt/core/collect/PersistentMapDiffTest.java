package io.checkedmqtt.core.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.checkedmqtt.core.collect.TestKey.HashShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PersistentMapDiffTest {

    /** One entry reported as changed. */
    private record Change(TestKey key, Object before, Object after) {
    }

    private static PersistentMap<TestKey, Object> apply(PersistentMap<TestKey, Object> map, List<Integer> ops,
                                                        int keySpace, HashShape shape) {
        PersistentMap<TestKey, Object> m = map;
        for (final int op : ops) {
            final TestKey key = new TestKey((op >>> 4 & 0xFFFF) % keySpace, shape);
            // a fresh value object: replacing an entry with an equal copy is a change by identity
            m = (op & 3) == 0 ? m.remove(key) : m.put(key, new StringBuilder("v" + (op & 7)));
        }
        return m;
    }

    /** The changes by brute force: every key of either map whose values are not the same object. */
    private static Map<TestKey, Change> naive(PersistentMap<TestKey, Object> before, PersistentMap<TestKey, Object> after) {
        final Map<TestKey, Change> out = new HashMap<>();
        before.forEach((k, v) -> {
            if (after.get(k) != v) {
                out.put(k, new Change(k, v, after.get(k)));
            }
        });
        after.forEach((k, v) -> {
            if (before.get(k) == null) {
                out.put(k, new Change(k, null, v));
            }
        });
        return out;
    }

    @Test
    @DisplayName("changesSince reports exactly the entries whose value is another object, each once, with colliding and deep keys")
    void matchesBruteForce() {
        qt().withExamples(400).forAll(lists().of(integers().all()).ofSizeBetween(0, 200),
                lists().of(integers().all()).ofSizeBetween(0, 40),
                integers().between(0, HashShape.values().length - 1), integers().between(1, 400))
                .checkAssert((base, update, shapeIndex, keySpace) -> {
                    final HashShape shape = HashShape.values()[shapeIndex];
                    final PersistentMap<TestKey, Object> before = apply(PersistentMap.empty(), base, keySpace, shape);
                    final PersistentMap<TestKey, Object> after = apply(before, update, keySpace, shape);
                    final Map<TestKey, Change> reported = new HashMap<>();
                    after.changesSince(before, (k, was, now) -> {
                        final Change previous = reported.put(k, new Change(k, was, now));
                        assertEquals(null, previous, "reported twice: " + k.id());
                    });
                    assertEquals(naive(before, after), reported);
                    final List<Change> backwards = new ArrayList<>();
                    before.changesSince(after, (k, was, now) -> backwards.add(new Change(k, was, now)));
                    assertEquals(reported.size(), backwards.size(), "the same keys the other way round");
                });
    }

    @Test
    @DisplayName("two updates of a 100,000-entry map are reported as two changes; a map has none since itself")
    void fewUpdatesOfALargeMap() {
        PersistentMap<Integer, Object> map = PersistentMap.empty();
        for (int i = 0; i < 100_000; i++) {
            map = map.put(i, i);
        }
        final PersistentMap<Integer, Object> after = map.put(4711, "changed").remove(99);
        final Map<Object, Object> seen = new IdentityHashMap<>();
        final int[] calls = {0};
        after.changesSince(map, (k, was, now) -> {
            calls[0]++;
            seen.put(k, now);
        });
        assertEquals(2, calls[0]);
        assertTrue(seen.containsValue("changed"));
        final int[] none = {0};
        map.changesSince(map, (k, was, now) -> none[0]++);
        assertEquals(0, none[0], "a map has no changes since itself");
    }
}
