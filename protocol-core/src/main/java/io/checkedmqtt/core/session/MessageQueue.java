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

    /**
     * How this queue follows from an earlier one: its {@code taken} oldest messages left, then
     * {@code added} arrived, in order. A queue changes only by {@link #offer} and {@link #poll},
     * so the two usual cases are found by following a few cells: messages were only added (this
     * queue's back list runs into the earlier one's) or only taken (the earlier front list runs
     * into this one's). Anything else, such as a step that took messages and, with the front list
     * used up, reversed the back one, compares the two queues message by message (by the identity of their PUBLISH),
     * which happens once per reversal. Whatever the history, applying the change to the earlier
     * queue gives this one; when nothing of the earlier queue is left in this one, the change is
     * "everything taken, everything here added".
     */
    public Change changesSince(MessageQueue earlier) {
        if (earlier == this) {
            return Change.NONE;
        }
        int grown = size - earlier.size;
        if (grown > 0 && front != null && front == earlier.front && reaches(back, grown, earlier.back)) {
            List<QueuedMessage> added = new ArrayList<>(grown);
            Cell c = back;
            for (int i = 0; i < grown; i++) {
                added.add(new QueuedMessage(c.publish, c.receivedAtMillis));
                c = c.tail;
            }
            return new Change(0, reversed(added));
        }
        if (grown < 0 && back == earlier.back && reaches(earlier.front, -grown, front)) {
            return new Change(-grown, List.of());
        }
        return compared(earlier.toList(), toList());
    }

    /** What changed from {@code before} to {@code after} (each oldest first), by the identity of messages. */
    private static Change compared(List<QueuedMessage> before, List<QueuedMessage> after) {
        int taken = before.size();
        if (!after.isEmpty()) {
            int first = indexOf(before, after.get(0));
            if (first >= 0 && survives(before, first, after)) {
                taken = first;
            }
        }
        int kept = before.size() - taken;
        return new Change(taken, List.copyOf(after.subList(kept, after.size())));
    }

    private static int indexOf(List<QueuedMessage> list, QueuedMessage m) {
        for (int i = 0; i < list.size(); i++) {
            if (same(list.get(i), m)) {
                return i;
            }
        }
        return -1;
    }

    /** The same message: the queue holds each as its PUBLISH object and the time it arrived. */
    private static boolean same(QueuedMessage a, QueuedMessage b) {
        return a.publish() == b.publish() && a.receivedAtMillis() == b.receivedAtMillis();
    }

    /** Whether {@code before} from {@code first} on is where {@code after} starts. */
    private static boolean survives(List<QueuedMessage> before, int first, List<QueuedMessage> after) {
        if (before.size() - first > after.size()) {
            return false;
        }
        for (int i = first; i < before.size(); i++) {
            if (!same(before.get(i), after.get(i - first))) {
                return false;
            }
        }
        return true;
    }

    /** Whether following {@code steps} cells from {@code from} arrives exactly at {@code target}. */
    private static boolean reaches(Cell from, int steps, Cell target) {
        Cell c = from;
        for (int i = 0; i < steps; i++) {
            if (c == null) {
                return false;
            }
            c = c.tail;
        }
        return c == target;
    }

    private static List<QueuedMessage> reversed(List<QueuedMessage> list) {
        List<QueuedMessage> out = new ArrayList<>(list.size());
        for (int i = list.size() - 1; i >= 0; i--) {
            out.add(list.get(i));
        }
        return out;
    }

    /**
     * The difference between two versions of a queue (see {@link #changesSince}).
     *
     * @param taken how many of the oldest messages left
     * @param added the messages that arrived after them, oldest first
     */
    public record Change(int taken, List<QueuedMessage> added) {

        static final Change NONE = new Change(0, List.of());

        public boolean isEmpty() {
            return taken == 0 && added.isEmpty();
        }
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
