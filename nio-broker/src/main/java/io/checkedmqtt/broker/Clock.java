package io.checkedmqtt.broker;

/**
 * The one source of time for the broker. The loop reads it once per wake-up and passes the value
 * to the core; tests pass a clock they move by hand. Values are milliseconds and never go
 * backwards. With persistence on they must also mean the same instant across restarts, as the
 * {@link #system()} clock's do: they are wall-clock milliseconds since the epoch.
 */
@FunctionalInterface
public interface Clock {

    long millis();

    /**
     * The wall-clock time (milliseconds since 1970, UTC) of a value of {@link #millis()}, for the
     * lines people read (traces). By default the values are taken to be wall-clock time already,
     * as the {@link #system()} clock's are and a test's hand-moved clock may be.
     */
    default long epochMillis(long millis) {
        return millis;
    }

    /**
     * Monotonic time (System.nanoTime based, immune to clock adjustments while it runs) that
     * starts at the wall clock, so a time recorded before a restart is comparable with one after
     * it ({@link SystemClock}).
     */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
