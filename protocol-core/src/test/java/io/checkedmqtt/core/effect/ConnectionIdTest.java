package io.checkedmqtt.core.effect;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** ConnectionId's written-out equals and hashCode keep the record's contract. */
class ConnectionIdTest {

    @Test
    @DisplayName("equal exactly when the values are, with equal hash codes; a map keyed by them finds each")
    void equalityFollowsTheValue() {
        long[] values = {0, 1, -1, 42, Integer.MAX_VALUE + 1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32};
        for (long a : values) {
            assertEquals(new ConnectionId(a), new ConnectionId(a));
            assertEquals(new ConnectionId(a).hashCode(), new ConnectionId(a).hashCode());
            for (long b : values) {
                if (a != b) {
                    assertNotEquals(new ConnectionId(a), new ConnectionId(b), a + " and " + b);
                }
            }
        }
        assertNotEquals(new ConnectionId(7), (Object) 7L, "not equal to its bare value");
        assertNotEquals(new ConnectionId(7), null);
        Map<ConnectionId, Long> byId = new HashMap<>();
        for (long v = 0; v < 10_000; v++) {
            byId.put(new ConnectionId(v * 31), v);
        }
        assertEquals(10_000, byId.size());
        for (long v = 0; v < 10_000; v++) {
            assertEquals(v, byId.get(new ConnectionId(v * 31)));
        }
    }
}
