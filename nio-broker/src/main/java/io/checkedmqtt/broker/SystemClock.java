package io.checkedmqtt.broker;

/** {@link Clock} on {@link System#nanoTime()}: monotonic, so deadlines survive wall-clock jumps. */
final class SystemClock implements Clock {

    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public long millis() {
        return System.nanoTime() / 1_000_000L;
    }
}
