package io.checkedmqtt.broker;

/**
 * {@link Clock} on {@link System#nanoTime()}, monotonic so that deadlines survive wall-clock
 * jumps while the broker runs, and anchored at the wall clock when the broker starts: its values
 * are milliseconds since the epoch as they stood at start-up, plus the monotonic time since.
 *
 * <p>The anchor is what lets times outlive the process. Persistence records the core's times
 * (when a session went offline, when a message arrived), and after a restart the new clock
 * continues from the wall clock of that moment: a session expiry or message expiry that was
 * running counts the time the broker was down. Within one run the clock may drift from the wall
 * clock by what NTP slews meanwhile; a wall clock set back between two runs lengthens the
 * deadlines running across the restart by as much, one set forward shortens them.
 */
final class SystemClock implements Clock {

    static final SystemClock INSTANCE = new SystemClock(System.currentTimeMillis(), System.nanoTime());

    private final long wallAtStart;
    private final long nanosAtStart;

    private SystemClock(long wallAtStart, long nanosAtStart) {
        this.wallAtStart = wallAtStart;
        this.nanosAtStart = nanosAtStart;
    }

    @Override
    public long millis() {
        return wallAtStart + (System.nanoTime() - nanosAtStart) / 1_000_000L;
    }
}
