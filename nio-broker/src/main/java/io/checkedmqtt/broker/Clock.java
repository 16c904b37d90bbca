package io.checkedmqtt.broker;

/**
 * The one source of time for the broker. The loop reads it once per wake-up and passes the value
 * to the core; tests pass a clock they move by hand. Values are milliseconds from an arbitrary
 * origin and never go backwards.
 */
@FunctionalInterface
public interface Clock {

    long millis();

    /** Monotonic wall time (System.nanoTime based), immune to clock adjustments. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
