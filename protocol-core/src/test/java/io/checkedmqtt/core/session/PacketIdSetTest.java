package io.checkedmqtt.core.session;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * The set of inbound QoS 2 packet identifiers awaiting PUBREL, against a {@link TreeSet} model:
 * an identifier is in it from the first PUBLISH until its PUBREL, so a duplicate PUBLISH in
 * between is recognised [v3.1.1 MQTT-4.3.3-2; v5 MQTT-4.3.3-10, MQTT-4.3.3-12].
 */
class PacketIdSetTest {

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.3-2] v5 [MQTT-4.3.3-10] [MQTT-4.3.3-12] add / remove agree with a sorted-set model, in any order")
    void matchesModel() {
        // Small ids so that adds and removes collide often: positive for add, negative for remove.
        qt().withExamples(300).forAll(lists().of(integers().between(-12, 12)).ofSizeBetween(0, 60))
                .check(ops -> {
                    PacketIdSet set = PacketIdSet.EMPTY;
                    TreeSet<Integer> model = new TreeSet<>();
                    for (int op : ops) {
                        if (op == 0) {
                            continue;
                        }
                        int id = Math.abs(op);
                        if (op > 0) {
                            set = set.add(id);
                            model.add(id);
                        } else {
                            set = set.remove(id);
                            model.remove(id);
                        }
                        if (set.size() != model.size() || !set.toString().equals(model.toString())) {
                            return false;
                        }
                        for (int probe = 1; probe <= 12; probe++) {
                            if (set.contains(probe) != model.contains(probe)) {
                                return false;
                            }
                        }
                    }
                    return true;
                });
    }

    @Test
    @DisplayName("adding a present id or removing an absent one changes nothing; removing the last id gives EMPTY")
    void noOps() {
        PacketIdSet one = PacketIdSet.EMPTY.add(7);
        assertSame(one, one.add(7));
        assertSame(one, one.remove(8));
        assertSame(PacketIdSet.EMPTY, one.remove(7));
        assertFalse(PacketIdSet.EMPTY.contains(7));
        assertEquals(0, PacketIdSet.EMPTY.size());
    }

    @Test
    @DisplayName("removing from the front, middle and end keeps the others in order")
    void removeKeepsTheRest() {
        PacketIdSet s = PacketIdSet.EMPTY.add(30).add(10).add(20).add(65_535).add(1);
        assertEquals("[1, 10, 20, 30, 65535]", s.toString());
        assertEquals("[10, 20, 30, 65535]", s.remove(1).toString());
        assertEquals("[1, 10, 30, 65535]", s.remove(20).toString());
        assertEquals("[1, 10, 20, 30]", s.remove(65_535).toString());
        assertTrue(s.remove(20).contains(30) && !s.remove(20).contains(20));
    }

    @Test
    @DisplayName("two sets are equal, with equal hash codes, exactly when they hold the same ids")
    void valueEquality() {
        PacketIdSet a = PacketIdSet.EMPTY.add(3).add(1).add(2);
        PacketIdSet b = PacketIdSet.EMPTY.add(1).add(2).add(3);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.remove(2));
        assertNotEquals(a.hashCode(), b.remove(2).hashCode());
        assertNotEquals(a, (Object) List.of(1, 2, 3));
        assertEquals(PacketIdSet.EMPTY, a.remove(1).remove(2).remove(3));
    }

    @Test
    @DisplayName("of(ids) equals adding the ids one at a time, in any order and with duplicates")
    void ofMatchesAdds() {
        qt().withExamples(300).forAll(lists().of(integers().between(1, 20)).ofSizeBetween(0, 40))
                .check(ids -> {
                    PacketIdSet added = PacketIdSet.EMPTY;
                    for (int id : ids) {
                        added = added.add(id);
                    }
                    PacketIdSet of = PacketIdSet.of(ids.stream().mapToInt(Integer::intValue).toArray());
                    return of.equals(added) && of.size() == added.size() && of.toString().equals(added.toString());
                });
    }

    @Test
    @DisplayName("of() is EMPTY; of every id 1..65535 holds each once; of copies its argument")
    void ofEdges() {
        assertSame(PacketIdSet.EMPTY, PacketIdSet.of());
        int[] all = new int[65_535];
        for (int i = 0; i < all.length; i++) {
            all[i] = 65_535 - i;
        }
        PacketIdSet every = PacketIdSet.of(all);
        assertEquals(65_535, every.size());
        assertTrue(every.contains(1) && every.contains(32_768) && every.contains(65_535));
        assertFalse(every.contains(0));
        all[0] = 7; // the set keeps its own sorted copy
        assertTrue(every.contains(65_535));
        assertEquals("[2, 3]", PacketIdSet.of(3, 2, 3, 2).toString());
    }
}
