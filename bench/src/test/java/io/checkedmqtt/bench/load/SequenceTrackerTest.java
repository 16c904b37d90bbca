package io.checkedmqtt.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Lost, duplicated and out-of-order counting of one publisher→subscriber stream. */
class SequenceTrackerTest {

    @Test
    @DisplayName("a complete in-order stream has no loss, duplicate or reordering")
    void clean() {
        final SequenceTracker t = new SequenceTracker();
        for (long s = 0; s < 1000; s++) {
            assertTrue(t.record(s));
        }
        assertEquals(1000, t.unique());
        assertEquals(0, t.lost(1000));
        assertEquals(0, t.duplicates());
        assertEquals(0, t.outOfOrder());
        assertEquals(0, t.unexpected(1000));
    }

    @Test
    @DisplayName("a number seen twice is one duplicate and is not counted as delivered again")
    void duplicate() {
        final SequenceTracker t = new SequenceTracker();
        t.record(0);
        t.record(1);
        assertFalse(t.record(1));
        t.record(2);
        assertFalse(t.record(0));
        assertEquals(2, t.duplicates());
        assertEquals(3, t.unique());
        assertEquals(0, t.lost(3));
    }

    @Test
    @DisplayName("v3.1.1 and v5 [MQTT-4.6.0-6] a new number below the highest seen is out of order, not lost")
    void outOfOrder() {
        final SequenceTracker t = new SequenceTracker();
        t.record(0);
        t.record(2);
        t.record(1); // late
        t.record(3);
        assertEquals(1, t.outOfOrder());
        assertEquals(0, t.lost(4));
        assertEquals(0, t.duplicates());
    }

    @Test
    @DisplayName("numbers never received are lost; numbers never sent are unexpected")
    void lostAndUnexpected() {
        final SequenceTracker t = new SequenceTracker();
        t.record(0);
        t.record(3);
        t.record(9); // publisher only sent 0..4
        assertEquals(3, t.lost(5)); // 1, 2, 4
        assertEquals(1, t.unexpected(5));
        assertEquals(0, t.lost(0) + t.unexpected(0) - 3); // with nothing sent every number is unexpected
        assertFalse(t.record(-1));
        assertEquals(2, t.unexpected(5));
    }

    @Test
    @DisplayName("a shuffled stream with planted duplicates and gaps is counted exactly (seeded)")
    void shuffledStream() {
        final Random random = new Random(20261126L);
        for (int trial = 0; trial < 50; trial++) {
            final int sent = 1 + random.nextInt(2000);
            final List<Long> arrivals = new ArrayList<>();
            int expectedLost = 0;
            for (long s = 0; s < sent; s++) {
                if (random.nextInt(20) == 0) {
                    expectedLost++;
                } else {
                    arrivals.add(s);
                }
            }
            final int expectedDuplicates = arrivals.isEmpty() ? 0 : random.nextInt(10);
            for (int d = 0; d < expectedDuplicates; d++) {
                arrivals.add(arrivals.get(random.nextInt(arrivals.size())));
            }
            Collections.shuffle(arrivals, random);
            final SequenceTracker t = new SequenceTracker();
            long expectedOutOfOrder = 0;
            long highest = -1;
            final java.util.Set<Long> seen = new java.util.HashSet<>();
            for (long s : arrivals) {
                if (seen.add(s)) {
                    if (s < highest) {
                        expectedOutOfOrder++;
                    }
                    highest = Math.max(highest, s);
                }
                t.record(s);
            }
            assertEquals(expectedLost, t.lost(sent), "trial " + trial);
            assertEquals(expectedDuplicates, t.duplicates(), "trial " + trial);
            assertEquals(expectedOutOfOrder, t.outOfOrder(), "trial " + trial);
            assertEquals(0, t.unexpected(sent), "trial " + trial);
        }
    }
}
