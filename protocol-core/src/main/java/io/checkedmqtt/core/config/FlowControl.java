package io.checkedmqtt.core.config;

/**
 * Publisher flow control: how far a publisher may run ahead of the subscribers its messages go
 * to. When a QoS 1 or 2 message it published leaves a connected subscriber's session with
 * {@code highWater} or more messages queued (waiting for a free in-flight slot), the server stops
 * reading from the publisher, so TCP slows it down, until that session is down to
 * {@code lowWater} or fewer, or its client disconnects. Off ({@link #OFF}), a publisher is always
 * read and a full queue drops the newest message (counted), as {@code maxQueuedMessages} says.
 *
 * <p>On suits one publisher and subscribers that all keep up (a fan-out that must not lose
 * messages); off suits many independent subscribers, where one slow one must not stall everyone
 * (with flow control on, a publisher waits for its slowest subscriber).
 *
 * @param highWater queued messages in one subscriber's session that hold the publisher; 0 is off
 * @param lowWater  queued messages at or below which it is read again; below {@code highWater}
 */
public record FlowControl(int highWater, int lowWater) {

    public static final FlowControl OFF = new FlowControl(0, 0);

    public FlowControl {
        if (highWater < 0 || lowWater < 0 || (highWater > 0 && lowWater >= highWater)) {
            throw new IllegalArgumentException("flow control needs 0 <= low water < high water (high water 0: off), got "
                    + lowWater + " and " + highWater);
        }
    }

    /** Flow control at {@code highWater} messages, read again at half of it. */
    public static FlowControl at(int highWater) {
        return highWater == 0 ? OFF : new FlowControl(highWater, highWater / 2);
    }

    public boolean isOn() {
        return highWater > 0;
    }
}
