package io.checkedmqtt.core.routing;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

class HashTrieMapTest {

    /** A key whose hash is chosen by the test, to force full-hash collisions. */
    record Key(int hash, String name) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    record Op(boolean put, Key key, int value) {
    }

    private static Gen<Op> ops() {
        Gen<Key> keys = Generate.range(0, 200).zip(Generate.range(0, 3),
                (n, h) -> new Key(h == 0 ? 7 : n * 0x9E3779B1, "k" + n)); // a third collide on hash 7
        return Generate.booleans().zip(keys, Generate.range(0, 5), Op::new);
    }

    @Test
    @DisplayName("put/remove sequences keep the map equal to java.util.HashMap, including colliding keys")
    void behavesLikeHashMap() {
        qt().withExamples(500).forAll(lists().of(ops()).ofSizeBetween(0, 300)).check(seq -> {
            HashTrieMap<Key, Integer> map = HashTrieMap.empty();
            Map<Key, Integer> reference = new HashMap<>();
            for (Op op : seq) {
                if (op.put()) {
                    map = map.put(op.key(), op.value());
                    reference.put(op.key(), op.value());
                } else {
                    map = map.remove(op.key());
                    reference.remove(op.key());
                }
                if (map.size() != reference.size()) {
                    return false;
                }
            }
            Map<Key, Integer> seen = new HashMap<>();
            map.forEach(seen::put);
            List<Integer> values = new ArrayList<>();
            map.addValuesTo(values);
            for (Map.Entry<Key, Integer> e : reference.entrySet()) {
                if (!e.getValue().equals(map.get(e.getKey()))) {
                    return false;
                }
            }
            return seen.equals(reference) && values.size() == reference.size();
        });
    }

    @Test
    @DisplayName("older versions are unchanged by later puts and removes (persistence)")
    void persistence() {
        HashTrieMap<String, Integer> a = HashTrieMap.<String, Integer>empty().put("x", 1).put("y", 2);
        HashTrieMap<String, Integer> b = a.put("x", 3).remove("y").put("z", 4);
        assertEquals(1, a.get("x"));
        assertEquals(2, a.get("y"));
        assertNull(a.get("z"));
        assertEquals(3, b.get("x"));
        assertNull(b.get("y"));
        assertEquals(2, a.size());
        assertEquals(2, b.size());
    }

    @Test
    @DisplayName("getRegion finds a String key by a region of a larger string")
    void region() {
        HashTrieMap<String, Integer> m = HashTrieMap.<String, Integer>empty().put("sport", 1).put("", 2);
        assertEquals(1, m.getRegion("a/sport/b", 2, 7));
        assertEquals(2, m.getRegion("a//b", 2, 2));
        assertNull(m.getRegion("a/sports/b", 2, 8));
    }

    @Test
    @DisplayName("a put or remove that changes nothing returns the same map")
    void noChangeNoCopy() {
        Integer one = 1;
        HashTrieMap<String, Integer> m = HashTrieMap.<String, Integer>empty().put("x", one);
        assertSame(m, m.put("x", one));
        assertSame(m, m.remove("nope"));
    }
}
