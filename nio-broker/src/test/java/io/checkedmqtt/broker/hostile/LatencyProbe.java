package io.checkedmqtt.broker.hostile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A thread that keeps a {@link Bystander} busy while an attack runs: one QoS 1 round trip after
 * another, a few milliseconds apart, each one's time kept. {@link #stop} ends it and gives the
 * figures; a round trip that failed (no message or acknowledgement within
 * {@link Bystander#TIMEOUT_MILLIS}) is thrown from there. While it runs nothing else may use the
 * bystander.
 */
final class LatencyProbe {

    private final Bystander bystander;
    private final Thread thread;
    private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopping;
    private volatile Throwable failure;

    private LatencyProbe(Bystander bystander) {
        this.bystander = bystander;
        this.thread = new Thread(this::run, "latency-probe");
        this.thread.setDaemon(true);
    }

    static LatencyProbe start(Bystander bystander) {
        LatencyProbe probe = new LatencyProbe(bystander);
        probe.thread.start();
        return probe;
    }

    private void run() {
        try {
            while (!stopping) {
                millis.add(bystander.roundTripMillis());
                Thread.sleep(10);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** The round trips' times; a failed round trip fails here, as does a probe that measured nothing. */
    Latencies stop() throws InterruptedException {
        stopping = true;
        thread.join(2L * Bystander.TIMEOUT_MILLIS + 1_000);
        if (failure != null) {
            throw new AssertionError("the bystander's round trip failed during the attack, after "
                    + millis.size() + " that worked", failure);
        }
        List<Long> sorted;
        synchronized (millis) {
            sorted = new ArrayList<>(millis);
        }
        if (sorted.isEmpty()) {
            throw new AssertionError("no round trip completed during the attack");
        }
        Collections.sort(sorted);
        return new Latencies(sorted.size(), sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1),
                sorted.get(sorted.size() - 1));
    }

    /** How many round trips, their 99th percentile and their maximum, in milliseconds. */
    record Latencies(int count, long p99, long max) {
    }
}
