package io.checkedmqtt.core.session;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * {@link MessageQueue#changesSince}: applying the change to the earlier queue gives the later one,
 * and for the usual steps (only offers, or only polls) it is the smallest change.
 */
class MessageQueueChangeTest {

    private static QueuedMessage message(int tag) {
        return new QueuedMessage(new Publish("t", new byte[1], QoS.AT_LEAST_ONCE, false, false, 0, Properties.EMPTY),
                tag);
    }

    /** >= 0: offer a new message; < 0: poll. */
    private static MessageQueue run(MessageQueue start, List<Integer> ops, int[] counts) {
        MessageQueue q = start;
        for (int op : ops) {
            if (op >= 0) {
                q = q.offer(message(op));
                counts[0]++;
            } else if (!q.isEmpty()) {
                q = q.poll();
                counts[1]++;
            }
        }
        return q;
    }

    private static List<QueuedMessage> applied(MessageQueue earlier, MessageQueue.Change change) {
        List<QueuedMessage> out = new ArrayList<>(earlier.toList().subList(change.taken(), earlier.size()));
        out.addAll(change.added());
        return out;
    }

    @Test
    @DisplayName("the change from any queue to any later version of it rebuilds the later one, message for message")
    void rebuildsTheLaterQueue() {
        qt().withExamples(500).forAll(lists().of(integers().between(-3, 5)).ofSizeBetween(0, 40),
                lists().of(integers().between(-3, 5)).ofSizeBetween(0, 20)).checkAssert((base, step) -> {
            MessageQueue before = run(MessageQueue.EMPTY, base, new int[2]);
            int[] counts = new int[2];
            MessageQueue after = run(before, step, counts);
            MessageQueue.Change change = after.changesSince(before);
            List<QueuedMessage> rebuilt = applied(before, change);
            assertEquals(after.size(), rebuilt.size());
            List<QueuedMessage> expected = after.toList();
            for (int i = 0; i < expected.size(); i++) {
                // the same message: its PUBLISH object (the queue makes a new QueuedMessage each time it is read)
                assertSame(expected.get(i).publish(), rebuilt.get(i).publish(), "message " + i);
                assertEquals(expected.get(i).receivedAtMillis(), rebuilt.get(i).receivedAtMillis(), "message " + i);
            }
            if (counts[0] == 0 || counts[1] == 0) {
                assertEquals(counts[1], change.taken(), "only polls, or only offers: exactly the polls are taken");
                assertEquals(counts[0], change.added().size(), "and exactly the offers added");
            }
        });
    }

    @Test
    @DisplayName("a queue unrelated to the earlier one: everything taken, everything added")
    void unrelatedQueues() {
        MessageQueue a = MessageQueue.EMPTY.offer(message(1)).offer(message(2));
        MessageQueue b = MessageQueue.EMPTY.offer(message(3));
        MessageQueue.Change change = b.changesSince(a);
        assertEquals(2, change.taken());
        assertEquals(b.toList(), change.added());
        assertTrue(a.changesSince(a).isEmpty());
    }

    @Test
    @DisplayName("one offer to a queue of 100,000 messages is found by following one cell")
    void oneOfferToALongQueue() {
        MessageQueue q = MessageQueue.EMPTY;
        for (int i = 0; i < 100_000; i++) {
            q = q.offer(message(i));
        }
        q = q.poll();   // the back list is now the front one: offers go to a fresh back list
        QueuedMessage last = message(-1);
        MessageQueue.Change change = q.offer(last).changesSince(q);
        assertEquals(0, change.taken());
        assertEquals(List.of(last), change.added());
    }
}
