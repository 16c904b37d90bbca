package io.checkedmqtt.core.session;

import io.checkedmqtt.core.packet.Publish;

import java.util.ArrayList;
import java.util.List;

/**
 * The first-in first-out queue of messages waiting for one client, as an immutable value with
 * O(1) amortised offer and poll: the classic two-list ("banker's") queue. Messages leave in the
 * order they came, which keeps the order per topic [v3.1.1 MQTT-4.6.0-6, v5 MQTT-4.6.0-5].
 *
 * <p>It also keeps the count and the bytes it holds ({@link io.checkedmqtt.core.packet.Publish#weight}),
 * for the queue bounds and the broker's memory budget.
 *
 * <p>A cell holds the message and its receive time itself, not a {@link QueuedMessage}: one
 * object per queued copy instead of two is most of what a queued message costs (the PUBLISH is
 * usually shared with every other subscriber's copy, payload and topic with it).
 */
public final class MessageQueue {

    public static final MessageQueue EMPTY = new MessageQueue(null, null, 0, 0);

    /** An immutable singly linked list cell: one queued message and the rest of the list. */
    private record Cell(Publish publish, long receivedAtMillis, Cell tail) {
    }

    private final Cell front;   // next out first
    private final Cell back;    // last in first (reversed)
    private final int size;
    private final long bytes;

    private MessageQueue(Cell front, Cell back, int size, long bytes) {
        this.front = front;
        this.back = back;
        this.size = size;
        this.bytes = bytes;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The weight of the messages held together. */
    public long bytes() {
        return bytes;
    }

    /** This queue with the message at the end. */
    public MessageQueue offer(QueuedMessage message) {
        return offer(message.publish(), message.receivedAtMillis());
    }

    /** This queue with the message, received at {@code receivedAtMillis}, at the end. */
    public MessageQueue offer(Publish message, long receivedAtMillis) {
        if (front == null) {
            return new MessageQueue(new Cell(message, receivedAtMillis, null), back, size + 1, bytes + message.weight());
        }
        return new MessageQueue(front, new Cell(message, receivedAtMillis, back), size + 1, bytes + message.weight());
    }

    /** The oldest message, or null when empty. */
    public QueuedMessage peek() {
        return front == null ? null : new QueuedMessage(front.publish, front.receivedAtMillis);
    }

    /** This queue without its oldest message. */
    public MessageQueue poll() {
        if (front == null) {
            return this;
        }
        long newBytes = bytes - front.publish.weight();
        if (front.tail != null) {
            return new MessageQueue(front.tail, back, size - 1, newBytes);
        }
        return new MessageQueue(reverse(back), null, size - 1, newBytes);
    }

    /** Every message, oldest first (for tests and persistence; O(n)). */
    public List<QueuedMessage> toList() {
        List<QueuedMessage> out = new ArrayList<>(size);
        for (Cell c = front; c != null; c = c.tail) {
            out.add(new QueuedMessage(c.publish, c.receivedAtMillis));
        }
        List<QueuedMessage> rest = new ArrayList<>();
        for (Cell c = back; c != null; c = c.tail) {
            rest.add(new QueuedMessage(c.publish, c.receivedAtMillis));
        }
        for (int i = rest.size() - 1; i >= 0; i--) {
            out.add(rest.get(i));
        }
        return out;
    }

    private static Cell reverse(Cell list) {
        Cell reversed = null;
        for (Cell c = list; c != null; c = c.tail) {
            reversed = new Cell(c.publish, c.receivedAtMillis, reversed);
        }
        return reversed;
    }

    @Override
    public String toString() {
        return "MessageQueue[" + size + " messages, " + bytes + " bytes]";
    }
}
