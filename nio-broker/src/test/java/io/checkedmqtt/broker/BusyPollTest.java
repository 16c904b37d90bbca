package io.checkedmqtt.broker;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusyPollTest {

    private static final long MICROS = 1_000L;

    @Test
    @DisplayName("a new loop sleeps at once: nothing says yet that polling would find an event")
    void startsOutSleeping() {
        assertFalse(new BusyPoll(50).worthPolling());
    }

    @Test
    @DisplayName("events closer together than the budget turn polling on")
    void burstTurnsPollingOn() {
        BusyPoll poll = new BusyPoll(50);
        int events = eventsUntil(poll, 5 * MICROS, true);
        assertTrue(events <= 20, "polling came on after " + events + " close events");
    }

    @Test
    @DisplayName("events further apart than the budget turn polling off: a poll would only burn the budget")
    void sparseEventsTurnPollingOff() {
        BusyPoll poll = new BusyPoll(50);
        eventsUntil(poll, 5 * MICROS, true);
        int events = eventsUntil(poll, 120 * MICROS, false);
        assertTrue(events <= 20, "polling went off after " + events + " sparse events");
        for (int i = 0; i < 1_000; i++) {
            poll.waited(120 * MICROS, true);
            assertFalse(poll.worthPolling(), "a steady 120 µs gap never pays for a 50 µs poll");
        }
    }

    @Test
    @DisplayName("a long idle spell is forgotten within a few events of the next burst")
    void idleSpellIsForgottenQuickly() {
        BusyPoll poll = new BusyPoll(50);
        eventsUntil(poll, 5 * MICROS, true);
        poll.waited(3_600_000_000_000L, true);   // an hour without traffic
        poll.waited(1_000_000L, false);          // and a timer
        int events = eventsUntil(poll, 5 * MICROS, true);
        assertTrue(events <= 20, "polling came back after " + events + " close events");
    }

    @Test
    @DisplayName("busy_poll_us 0 never polls, however close the events")
    void zeroBudgetNeverPolls() {
        BusyPoll poll = new BusyPoll(0);
        for (int i = 0; i < 1_000; i++) {
            poll.waited(0, true);
            assertFalse(poll.worthPolling());
        }
    }

    /** Feeds gaps of {@code gapNanos} until polling is {@code wanted}; how many it took (fails after 1000). */
    private static int eventsUntil(BusyPoll poll, long gapNanos, boolean wanted) {
        for (int events = 1; events <= 1_000; events++) {
            poll.waited(gapNanos, true);
            if (poll.worthPolling() == wanted) {
                return events;
            }
        }
        throw new AssertionError("polling never became " + wanted + " with gaps of " + gapNanos + " ns");
    }
}
