package io.checkedmqtt.broker.observe;

/**
 * How long the loop's passes take (from the end of its wait to the end of its writes), as a
 * histogram with fixed bounds for Prometheus. Written and read on the loop thread only.
 */
public final class LoopTimes {

    /** Upper bounds of the buckets, in seconds; a last bucket (+Inf) takes the rest. */
    static final double[] BOUNDS = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
            0.01, 0.025, 0.05, 0.1, 0.25, 1.0};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    private final long[] counts = new long[BOUNDS.length + 1];
    private long sumNanos;
    private long count;

    public void record(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        counts[i]++;
        sumNanos += nanos;
        count++;
    }

    /** Passes that took at most {@code BOUNDS[bucket]} seconds and more than the bound below (not cumulative). */
    long inBucket(int bucket) {
        return counts[bucket];
    }

    long sumNanos() {
        return sumNanos;
    }

    long count() {
        return count;
    }
}
