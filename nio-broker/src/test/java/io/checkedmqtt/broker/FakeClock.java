package io.checkedmqtt.broker;

import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand; the broker thread reads it. */
final class FakeClock implements Clock {

    private final AtomicLong millis = new AtomicLong(1_000_000);

    @Override
    public long millis() {
        return millis.get();
    }

    void advance(long delta) {
        millis.addAndGet(delta);
    }
}
