package io.checkedmqtt.broker;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.function.BooleanSupplier;

/**
 * How the loop waits for its next event: a poll first while {@link BusyPoll} finds events coming
 * close together, then a {@code select} that sleeps until a socket is ready, a wake-up is asked
 * for, or the next deadline. Only the loop thread uses it.
 */
final class SelectorWait {

    private final Selector selector;
    private final BusyPoll busyPoll;
    /** Whether another thread asked the loop to wake up (the loop clears it after each wait). */
    private final BooleanSupplier wakeRequested;

    SelectorWait(Selector selector, BusyPoll busyPoll, BooleanSupplier wakeRequested) {
        this.selector = selector;
        this.busyPoll = busyPoll;
        this.wakeRequested = wakeRequested;
    }

    /** Waits at {@code now} until something is ready or {@code nextDeadline} ({@code Long.MAX_VALUE}: none). */
    void untilNextDeadline(long now, long nextDeadline) throws IOException {
        if (nextDeadline <= now) {
            // due already (or sockets wait to be closed): a look at the sockets, no wait at all, so
            // no poll either, and nothing for the busy-poll average to learn
            selector.selectNow();
            return;
        }
        long waitStart = System.nanoTime();
        int ready = busyPoll.worthPolling() ? pollBeforeSleeping(waitStart) : 0;
        if (ready == 0 && !wakeRequested.getAsBoolean()) {
            if (nextDeadline == Long.MAX_VALUE) {
                ready = selector.select();
            } else {
                ready = selector.select(Math.max(1, nextDeadline - now));
            }
        }
        busyPoll.waited(System.nanoTime() - waitStart, ready > 0);
    }

    /**
     * Polls without blocking until a socket is ready, a wake-up is asked for, or the budget has
     * passed; returns the number of ready keys (0 when it ran out of time or was woken). Only
     * called while {@link BusyPoll} finds events coming closer together than the budget.
     */
    private int pollBeforeSleeping(long start) throws IOException {
        long budget = busyPoll.budgetNanos();
        do {
            int ready = selector.selectNow();
            if (ready > 0 || wakeRequested.getAsBoolean()) {
                return ready;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - start < budget);
        return 0;
    }
}
