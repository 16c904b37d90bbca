package io.checkedmqtt.core.session;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * The per-client message queue against an {@link ArrayDeque} model: first in, first out, so the
 * messages of one publisher on one topic reach the client in the order they came
 * [v3.1.1 MQTT-4.6.0-6; v5 MQTT-4.6.0-5], with count and weight kept for the bounds.
 */
class MessageQueueTest {

    /**
     * A message whose payload is {@code size} bytes, told apart by its receive time {@code tag}; its
     * topic is empty, so its weight is its payload.
     */
    private static QueuedMessage message(int tag, int size) {
        return new QueuedMessage(new Publish("", new byte[size], QoS.AT_LEAST_ONCE, false, false, 0,
                Properties.EMPTY), tag);
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.6.0-6] v5 [MQTT-4.6.0-5] offer / poll agree with a FIFO model: order, size, bytes, peek")
    void matchesModel() {
        // >= 0: offer a message of that many bytes; < 0: poll.
        qt().withExamples(300).forAll(lists().of(integers().between(-3, 5)).ofSizeBetween(0, 60)).check(ops -> {
            MessageQueue q = MessageQueue.EMPTY;
            ArrayDeque<QueuedMessage> model = new ArrayDeque<>();
            int tag = 0;
            for (int op : ops) {
                if (op >= 0) {
                    QueuedMessage m = message(tag++, op);
                    q = q.offer(m);
                    model.addLast(m);
                } else {
                    q = q.poll();
                    model.pollFirst();
                }
                long bytes = model.stream().mapToLong(QueuedMessage::weight).sum();
                if (q.size() != model.size() || q.isEmpty() != model.isEmpty() || q.bytes() != bytes
                        || !java.util.Objects.equals(q.peek(), model.peekFirst()) || !q.toList().equals(new ArrayList<>(model))) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.6.0-6] v5 [MQTT-4.6.0-5] messages offered behind the front leave in arrival order")
    void orderAcrossBothLists() {
        MessageQueue q = MessageQueue.EMPTY;
        for (int i = 0; i < 4; i++) {
            q = q.offer(message(i, i + 1));
        }
        assertEquals(4, q.size());
        assertEquals(1 + 2 + 3 + 4, q.bytes());
        List<Long> order = new ArrayList<>();
        for (QueuedMessage m : q.toList()) {
            order.add(m.receivedAtMillis());
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), order);
        q = q.poll(); // the front list empties: the back list is reversed into its place
        assertEquals(1L, q.peek().receivedAtMillis());
        assertEquals(2 + 3 + 4, q.bytes());
        q = q.offer(message(4, 0)).poll().poll();
        assertEquals(3L, q.peek().receivedAtMillis());
        assertEquals(2, q.size());
    }

    @Test
    @DisplayName("an old version is unchanged by offers and polls on newer ones (a failed step leaves the previous state intact)")
    void oldVersionsAreUnchanged() {
        qt().withExamples(200).forAll(lists().of(integers().between(-2, 4)).ofSizeBetween(0, 40)).check(ops -> {
            List<MessageQueue> versions = new ArrayList<>();
            List<List<QueuedMessage>> contents = new ArrayList<>();
            MessageQueue q = MessageQueue.EMPTY;
            int tag = 0;
            for (int op : ops) {
                versions.add(q);
                contents.add(q.toList());
                q = op >= 0 ? q.offer(message(tag++, op)) : q.poll();
            }
            for (int i = 0; i < versions.size(); i++) {
                MessageQueue v = versions.get(i);
                if (!v.toList().equals(contents.get(i)) || v.size() != contents.get(i).size()) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.6.0-6] v5 [MQTT-4.6.0-5] a 100,000-message queue drains in arrival order")
    void largeQueue() {
        MessageQueue q = MessageQueue.EMPTY;
        for (int i = 0; i < 100_000; i++) {
            q = q.offer(message(i, 1));
        }
        assertEquals(100_000, q.bytes());
        for (int i = 0; i < 100_000; i++) {
            assertEquals(i, q.peek().receivedAtMillis());
            q = q.poll();
        }
        assertTrue(q.isEmpty());
        assertEquals(0, q.bytes());
    }

    @Test
    @DisplayName("an empty queue: peek is null and poll changes nothing")
    void empty() {
        assertNull(MessageQueue.EMPTY.peek());
        assertSame(MessageQueue.EMPTY, MessageQueue.EMPTY.poll());
        assertTrue(MessageQueue.EMPTY.isEmpty());
        assertTrue(MessageQueue.EMPTY.toList().isEmpty());
        assertEquals(0, MessageQueue.EMPTY.offer(message(0, 3)).poll().bytes());
        assertTrue(MessageQueue.EMPTY.offer(message(0, 3)).poll().isEmpty());
    }

    @Test
    @DisplayName("toString states the count and the bytes")
    void describes() {
        assertEquals("MessageQueue[2 messages, 7 bytes]",
                MessageQueue.EMPTY.offer(message(0, 3)).offer(message(1, 4)).toString());
    }
}
