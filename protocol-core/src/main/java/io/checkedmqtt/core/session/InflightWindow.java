package io.checkedmqtt.core.session;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The outbound in-flight messages of one session, in the order they were first sent, looked up
 * by packet identifier. Immutable: every change returns a new window.
 *
 * <p>The window is as large as the in-flight limit (Receive Maximum, or the configured 3.1.1
 * limit, typically 10 to 100), so a copied array is both the simplest and the fastest
 * representation: no boxing, one allocation per change, and the send order for the
 * retransmission rule [v3.1.1 MQTT-4.4.0-1, v5 MQTT-4.4.0-1] comes for free.
 */
public final class InflightWindow implements Iterable<InflightMessage> {

    public static final InflightWindow EMPTY = new InflightWindow(new InflightMessage[0]);

    private final InflightMessage[] messages;

    private InflightWindow(InflightMessage[] messages) {
        this.messages = messages;
    }

    /** The message at this position in send order. */
    public InflightMessage get(int index) {
        return messages[index];
    }

    public int size() {
        return messages.length;
    }

    public boolean isEmpty() {
        return messages.length == 0;
    }

    /** Every message, in send order. */
    public List<InflightMessage> toList() {
        return List.of(messages);
    }

    @Override
    public Iterator<InflightMessage> iterator() {
        return new Iterator<>() {
            private final int[] next = {0}; // cursor of this iteration only

            @Override
            public boolean hasNext() {
                return next[0] < messages.length;
            }

            @Override
            public InflightMessage next() {
                if (next[0] >= messages.length) {
                    throw new NoSuchElementException();
                }
                return messages[next[0]++];
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InflightWindow other && Arrays.equals(messages, other.messages);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(messages);
    }

    @Override
    public String toString() {
        return Arrays.toString(messages);
    }

    /** The message holding this packet identifier, or null. */
    public InflightMessage find(int packetId) {
        int i = indexOf(packetId);
        return i < 0 ? null : messages[i];
    }

    public boolean holds(int packetId) {
        return indexOf(packetId) >= 0;
    }

    /** This window with a newly sent message at the end. */
    public InflightWindow append(InflightMessage message) {
        InflightMessage[] next = Arrays.copyOf(messages, messages.length + 1);
        next[messages.length] = message;
        return new InflightWindow(next);
    }

    /** This window with the message of the same packet identifier replaced, keeping its place. */
    public InflightWindow replace(InflightMessage message) {
        int i = indexOf(message.packetId());
        if (i < 0) {
            throw new IllegalArgumentException("packet identifier not in flight: " + message.packetId());
        }
        InflightMessage[] next = messages.clone();
        next[i] = message;
        return new InflightWindow(next);
    }

    /** This window with every message replaced by the given ones (same size, same identifiers). */
    public static InflightWindow of(List<InflightMessage> list) {
        return list.isEmpty() ? EMPTY : new InflightWindow(list.toArray(new InflightMessage[0]));
    }

    /** This window without the message of this packet identifier; the identifier becomes free. */
    public InflightWindow without(int packetId) {
        int i = indexOf(packetId);
        if (i < 0) {
            return this;
        }
        if (messages.length == 1) {
            return EMPTY;
        }
        InflightMessage[] next = new InflightMessage[messages.length - 1];
        System.arraycopy(messages, 0, next, 0, i);
        System.arraycopy(messages, i + 1, next, i, messages.length - i - 1);
        return new InflightWindow(next);
    }

    private int indexOf(int packetId) {
        for (int i = 0; i < messages.length; i++) {
            if (messages[i].publish().packetId() == packetId) {
                return i;
            }
        }
        return -1;
    }
}
