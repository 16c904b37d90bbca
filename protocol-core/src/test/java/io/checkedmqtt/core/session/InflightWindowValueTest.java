package io.checkedmqtt.core.session;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The in-flight window as a value (sessions are compared and printed through it) and as an
 * {@link Iterable} that keeps the {@link Iterator} contract.
 */
class InflightWindowValueTest {

    private static InflightMessage sent(int id) {
        return InflightMessage.sent(new Publish("t", new byte[] {1}, QoS.AT_LEAST_ONCE, false, false, id,
                Properties.EMPTY), 0);
    }

    @Test
    @DisplayName("two windows are equal, with equal hash codes, exactly when they hold the same messages in the same order")
    void valueEquality() {
        InflightWindow a = InflightWindow.EMPTY.append(sent(1)).append(sent(2));
        InflightWindow b = InflightWindow.EMPTY.append(sent(1)).append(sent(2));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        InflightWindow reversed = InflightWindow.EMPTY.append(sent(2)).append(sent(1));
        assertNotEquals(a, reversed);
        assertNotEquals(a, a.without(2));
        assertNotEquals(a.hashCode(), a.without(2).hashCode());
        assertNotEquals(a, (Object) "window");
        InflightMessage one = sent(1);
        assertEquals("[" + one + "]", InflightWindow.EMPTY.append(one).toString());
        assertEquals("[]", InflightWindow.EMPTY.toString());
    }

    @Test
    @DisplayName("the iterator visits the messages in send order, then throws NoSuchElementException")
    void iteratorContract() {
        InflightWindow w = InflightWindow.EMPTY.append(sent(5)).append(sent(3));
        Iterator<InflightMessage> it = w.iterator();
        assertSame(w.get(0), it.next());
        assertSame(w.get(1), it.next());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }
}
