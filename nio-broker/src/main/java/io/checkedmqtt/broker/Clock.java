package io.checkedmqtt.broker;

/**
 * The one source of time for the broker. The loop reads it once per wake-up and passes the value
 * to the core; tests pass a clock they move by hand. Values are milliseconds from an arbitrary
 * origin and never go backwards.
 */
@FunctionalInterface
public interface Clock {

    long millis();

    /**
     * The wall-clock time (milliseconds since 1970, UTC) of a value of {@link #millis()}, for the
     * lines people read (traces). By default the values are taken to be wall-clock time already,
     * as a test's hand-moved clock may be.
     */
    default long epochMillis(long millis) {
        return millis;
    }

    /** Monotonic wall time (System.nanoTime based), immune to clock adjustments. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
