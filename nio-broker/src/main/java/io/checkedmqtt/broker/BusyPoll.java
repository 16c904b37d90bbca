package io.checkedmqtt.broker;

/**
 * Whether the loop should poll for a while before it sleeps in {@code select}, learned from how far
 * apart socket events have been coming.
 *
 * <p>Polling pays when the next event usually comes within the budget: the loop then saves a sleep
 * and a wake-up, which the client whose write wakes it pays for (and, on a virtual machine, the
 * halted virtual CPU too). When events come further apart than the budget, a poll would only burn
 * the budget after each of them, so the loop sleeps at once. The gap is a moving average of the
 * last waits (each new one weighs 1/8); each wait counts for at most a few budgets, so that a long
 * idle spell is forgotten within a few events of the next burst.
 *
 * <p>Only the loop thread uses it; times are {@code System.nanoTime} differences, not protocol time.
 */
final class BusyPoll {

    /** A new gap moves the average by 1/2^3 of the difference. */
    private static final int WEIGHT_SHIFT = 3;
    /** A wait counts for at most this many budgets. */
    private static final long CAP_IN_BUDGETS = 4;

    private final long budgetNanos;
    private final long capNanos;
    private long averageGapNanos;

    BusyPoll(long budgetMicros) {
        this.budgetNanos = budgetMicros * 1_000L;
        this.capNanos = budgetNanos * CAP_IN_BUDGETS;
        this.averageGapNanos = capNanos;   // nothing measured yet: start out sleeping
    }

    long budgetNanos() {
        return budgetNanos;
    }

    /** True when recent events came closer together than the budget, so a poll will likely find one. */
    boolean worthPolling() {
        return averageGapNanos < budgetNanos;
    }

    /**
     * The loop waited {@code waitedNanos}, polling or sleeping, until a socket was ready; with
     * {@code socketReady} false it was a timer or a wake-up that ended the wait, which counts as a
     * long gap.
     */
    void waited(long waitedNanos, boolean socketReady) {
        long gap = socketReady ? Math.min(Math.max(waitedNanos, 0), capNanos) : capNanos;
        averageGapNanos += (gap - averageGapNanos) >> WEIGHT_SHIFT;
    }
}
