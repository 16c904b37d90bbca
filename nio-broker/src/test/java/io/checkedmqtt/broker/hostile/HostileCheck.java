package io.checkedmqtt.broker.hostile;

import java.io.IOException;

/**
 * The two checks every hostile case makes besides the spec's answer to its attack: the bystander's
 * QoS 1 round trip still works, and the broker's heap after a full GC stays within a bound of what
 * it was before the attack. Also that the attack was answered by the protocol, not by the shell's
 * containment of a failing core. Each check prints one line of numbers, prefixed {@code [hostile]},
 * for the record of what the suite measured.
 */
public final class HostileCheck {

    private static final long MB = 1 << 20;

    private final String attack;
    private final HostileBroker broker;
    private final Bystander bystander;
    private final long heapBefore;

    private HostileCheck(String attack, HostileBroker broker, Bystander bystander, long heapBefore) {
        this.attack = attack;
        this.broker = broker;
        this.bystander = bystander;
        this.heapBefore = heapBefore;
    }

    /** Before the attack: a first round trip, and the heap to compare with. */
    public static HostileCheck before(String attack, HostileBroker broker, Bystander bystander) throws IOException {
        bystander.roundTripMillis();
        return new HostileCheck(attack, broker, bystander, broker.heapAfterFullGc());
    }

    /**
     * During or after the attack: the bystander's round trip works, the heap after a full GC has
     * grown by at most {@code allowanceBytes}, and no core step failed. Returns the heap in use.
     */
    public long stillServes(String moment, long allowanceBytes) throws IOException {
        long roundTrip = bystander.roundTripMillis();
        long heap = broker.heapAfterFullGc();
        String stats = broker.stats();
        System.out.printf("[hostile] %s, %s: heap after full GC %.1f MB (before the attack %.1f MB), bystander QoS 1 round trip %d ms%n",
                attack, moment, heap / (double) MB, heapBefore / (double) MB, roundTrip);
        if (heap > heapBefore + allowanceBytes) {
            throw new AssertionError(attack + ", " + moment + ": heap after full GC " + heap / MB + " MB, more than "
                    + (heapBefore + allowanceBytes) / MB + " MB");
        }
        if (!stats.contains("core failures=0")) {
            throw new AssertionError(attack + ": a core step failed: " + stats);
        }
        return heap;
    }
}
