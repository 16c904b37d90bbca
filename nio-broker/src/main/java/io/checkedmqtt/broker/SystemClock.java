package io.checkedmqtt.broker;

/** {@link Clock} on {@link System#nanoTime()}: monotonic, so deadlines survive wall-clock jumps. */
final class SystemClock implements Clock {

    static final SystemClock INSTANCE = new SystemClock();

    /** Wall-clock time minus monotonic time, taken once: trace times follow the monotonic clock from there. */
    private final long epochOffset = System.currentTimeMillis() - millisNow();

    private SystemClock() {
    }

    private static long millisNow() {
        return System.nanoTime() / 1_000_000L;
    }

    @Override
    public long epochMillis(long millis) {
        return millis + epochOffset;
    }

    @Override
    public long millis() {
        return System.nanoTime() / 1_000_000L;
    }
}
