package io.checkedmqtt.core.session;

import java.util.Arrays;

/**
 * An immutable set of packet identifiers (1..65535), kept as a sorted array. Used for the
 * inbound QoS 2 identifiers awaiting PUBREL: the spec's "method B" stores only the identifier
 * once the message has been handed on [v5 MQTT-4.3.3-10, v3.1.1 MQTT-4.3.3-2]. The set is
 * bounded by the server's Receive Maximum, so copying small arrays is cheap. Also used for the
 * 3.1.1 quarantine of resent outbound identifiers ({@link Link#resentIds()}), which grows by one
 * identifier per timed resend.
 */
public final class PacketIdSet {

    public static final PacketIdSet EMPTY = new PacketIdSet(new int[0]);

    private final int[] ids;

    private PacketIdSet(int[] ids) {
        this.ids = ids;
    }

    /** The set of these identifiers, in any order, duplicates counted once: one sort, not n inserts. */
    public static PacketIdSet of(int... ids) {
        if (ids.length == 0) {
            return EMPTY;
        }
        int[] sorted = ids.clone();
        Arrays.sort(sorted);
        int n = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[n - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return new PacketIdSet(n == sorted.length ? sorted : Arrays.copyOf(sorted, n));
    }

    public boolean contains(int id) {
        return Arrays.binarySearch(ids, id) >= 0;
    }

    public int size() {
        return ids.length;
    }

    /** The identifiers, in ascending order (a copy). */
    public int[] toArray() {
        return ids.clone();
    }

    public PacketIdSet add(int id) {
        int at = Arrays.binarySearch(ids, id);
        if (at >= 0) {
            return this;
        }
        int insert = -at - 1;
        int[] next = new int[ids.length + 1];
        System.arraycopy(ids, 0, next, 0, insert);
        next[insert] = id;
        System.arraycopy(ids, insert, next, insert + 1, ids.length - insert);
        return new PacketIdSet(next);
    }

    public PacketIdSet remove(int id) {
        int at = Arrays.binarySearch(ids, id);
        if (at < 0) {
            return this;
        }
        if (ids.length == 1) {
            return EMPTY;
        }
        int[] next = new int[ids.length - 1];
        System.arraycopy(ids, 0, next, 0, at);
        System.arraycopy(ids, at + 1, next, at, ids.length - at - 1);
        return new PacketIdSet(next);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketIdSet other && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return Arrays.toString(ids);
    }
}
