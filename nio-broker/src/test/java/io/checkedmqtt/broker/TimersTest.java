package io.checkedmqtt.broker;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

class TimersTest {

    @Test
    @DisplayName("due timers fire in deadline order, later ones wait")
    void firesInDeadlineOrder() {
        Timers<String> timers = new Timers<>();
        timers.schedule("c", 30);
        timers.schedule("a", 10);
        timers.schedule("b", 20);
        List<String> fired = new ArrayList<>();
        assertEquals(2, timers.fireDue(20, (key, deadline) -> fired.add(key)));
        assertEquals(List.of("a", "b"), fired);
        assertEquals(30, timers.nextDeadline());
        assertTrue(timers.isPending("c"));
        assertFalse(timers.isPending("a"));
    }

    @Test
    @DisplayName("scheduling a key again replaces its deadline (ScheduleTimer semantics)")
    void rescheduleReplaces() {
        Timers<String> timers = new Timers<>();
        timers.schedule("keepalive", 10);
        timers.schedule("keepalive", 50);
        List<String> fired = new ArrayList<>();
        assertEquals(0, timers.fireDue(49, (key, deadline) -> fired.add(key)));
        assertEquals(50, timers.nextDeadline());
        assertEquals(1, timers.fireDue(50, (key, deadline) -> fired.add(key + "@" + deadline)));
        assertEquals(List.of("keepalive@50"), fired);
        assertEquals(Long.MAX_VALUE, timers.nextDeadline());
    }

    @Test
    @DisplayName("a cancelled key never fires and no longer bounds the select timeout")
    void cancelForgets() {
        Timers<String> timers = new Timers<>();
        timers.schedule("x", 5);
        timers.schedule("y", 100);
        timers.cancel("x");
        assertEquals(100, timers.nextDeadline());
        List<String> fired = new ArrayList<>();
        timers.fireDue(1_000, (key, deadline) -> fired.add(key));
        assertEquals(List.of("y"), fired);
    }

    @Test
    @DisplayName("a callback that reschedules its own key at 'now' does not spin the loop")
    void rescheduleInsideCallbackWaitsForNextCall() {
        Timers<String> timers = new Timers<>();
        timers.schedule("again", 10);
        int fired = timers.fireDue(10, (key, deadline) -> timers.schedule(key, 10));
        assertEquals(1, fired);
        assertEquals(10, timers.nextDeadline());
        assertEquals(1, timers.fireDue(10, (key, deadline) -> { }));
    }

    @Test
    @DisplayName("many moves of one key keep exactly one pending entry (moved in place)")
    void manyMovesStayBounded() {
        Timers<Integer> timers = new Timers<>();
        for (int i = 0; i < 10_000; i++) {
            timers.schedule(i % 3, i);
        }
        assertEquals(3, timers.size());
        List<Integer> fired = new ArrayList<>();
        timers.fireDue(Long.MAX_VALUE - 1, (key, deadline) -> fired.add(key));
        assertEquals(List.of(1, 2, 0), fired, "last deadlines 9997, 9998, 9999");
    }

    @Test
    @DisplayName("property: keys fire at their last scheduled deadline, in deadline order, once")
    void matchesAModel() {
        qt().forAll(lists().of(integers().between(0, 200)).ofSizeBetween(0, 60))
                .checkAssert(ops -> {
                    Timers<Integer> timers = new Timers<>();
                    java.util.Map<Integer, Long> model = new java.util.HashMap<>();
                    for (int i = 0; i < ops.size(); i++) {
                        int key = ops.get(i) % 7;
                        if (ops.get(i) % 5 == 0) {
                            timers.cancel(key);
                            model.remove(key);
                        } else {
                            timers.schedule(key, ops.get(i));
                            model.put(key, (long) ops.get(i));
                        }
                    }
                    List<long[]> fired = new ArrayList<>();
                    timers.fireDue(Long.MAX_VALUE - 1, (key, deadline) -> fired.add(new long[] {key, deadline}));
                    assertEquals(model.size(), fired.size());
                    for (int i = 0; i < fired.size(); i++) {
                        assertEquals(model.get((int) fired.get(i)[0]), fired.get(i)[1]);
                        if (i > 0) {
                            assertTrue(fired.get(i - 1)[1] <= fired.get(i)[1]);
                        }
                    }
                });
    }

    @Test
    @DisplayName("a cancelled key leaves nothing behind: each connection's CONNECT timeout is cancelled at once")
    void cancelRemovesTheEntry() {
        Timers<Integer> timers = new Timers<>();
        for (int i = 0; i < 1_000; i++) {
            timers.schedule(i, 1_000 + i);
        }
        for (int i = 0; i < 1_000; i += 2) {
            timers.cancel(i);
        }
        assertEquals(500, timers.size(), "only live entries are kept");
        assertEquals(1_001, timers.nextDeadline());
        List<Integer> fired = new ArrayList<>();
        timers.fireDue(Long.MAX_VALUE - 1, (key, deadline) -> fired.add(key));
        assertEquals(500, fired.size());
        for (int i = 0; i < fired.size(); i++) {
            assertEquals(2 * i + 1, fired.get(i));
        }
        assertEquals(0, timers.size());
        assertEquals(Long.MAX_VALUE, timers.nextDeadline());
    }

    /** An owner of one deadline, as a connection is of its keep-alive. */
    private static final class Owner extends Timers.Entry<Object> {
        final String name;

        Owner(String name) {
            this.name = name;
        }

        @Override
        Object key() {
            return "key of " + name;
        }
    }

    @Test
    @DisplayName("an owner's own entry fires with the key it makes, moves in place, and can be scheduled again after it fired")
    void ownedEntries() {
        Timers<Object> timers = new Timers<>();
        Owner a = new Owner("a");
        timers.scheduleOwned(a, 30);
        timers.schedule("plain", 20);
        timers.scheduleOwned(a, 10);   // moved, not added
        assertEquals(2, timers.size());
        assertEquals(10, timers.nextDeadline());
        List<Object> fired = new ArrayList<>();
        assertEquals(2, timers.fireDue(20, (key, deadline) -> fired.add(key + "@" + deadline)));
        assertEquals(List.of("key of a@10", "plain@20"), fired);
        timers.cancelOwned(a);   // not pending any more: nothing to do
        timers.scheduleOwned(a, 40);
        assertEquals(1, timers.size());
        timers.cancelOwned(a);
        assertEquals(0, timers.size());
        assertEquals(Long.MAX_VALUE, timers.nextDeadline());
    }

    @Test
    @DisplayName("property: owned entries and keys share one order; each fires once, at its last deadline")
    void ownedAndKeyedMatchAModel() {
        qt().forAll(lists().of(integers().between(0, 300)).ofSizeBetween(0, 80))
                .checkAssert(ops -> {
                    Timers<Object> timers = new Timers<>();
                    Owner[] owners = {new Owner("0"), new Owner("1"), new Owner("2"), new Owner("3")};
                    java.util.Map<Object, Long> model = new java.util.HashMap<>();
                    for (int op : ops) {
                        boolean owned = op % 2 == 0;
                        Object key = owned ? owners[op % 4].key() : Integer.valueOf(op % 5);
                        if (op % 7 == 0) {
                            if (owned) {
                                timers.cancelOwned(owners[op % 4]);
                            } else {
                                timers.cancel(key);
                            }
                            model.remove(key);
                        } else {
                            if (owned) {
                                timers.scheduleOwned(owners[op % 4], op);
                            } else {
                                timers.schedule(key, op);
                            }
                            model.put(key, (long) op);
                        }
                    }
                    assertEquals(model.size(), timers.size());
                    List<Object> keys = new ArrayList<>();
                    List<Long> deadlines = new ArrayList<>();
                    timers.fireDue(Long.MAX_VALUE - 1, (key, deadline) -> {
                        keys.add(key);
                        deadlines.add(deadline);
                    });
                    assertEquals(model.size(), keys.size());
                    for (int i = 0; i < keys.size(); i++) {
                        assertEquals(model.get(keys.get(i)), deadlines.get(i));
                        if (i > 0) {
                            assertTrue(deadlines.get(i - 1) <= deadlines.get(i));
                        }
                    }
                    assertEquals(0, timers.size());
                });
    }
}
