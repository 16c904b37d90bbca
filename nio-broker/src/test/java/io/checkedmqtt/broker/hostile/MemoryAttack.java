package io.checkedmqtt.broker.hostile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One memory attack on a broker in a child JVM with a {@value #HEAP} heap and its default,
 * heap-derived budgets: a {@link Bystander} connected before it, a {@link LatencyProbe} running
 * through it, and at the end ({@link #finish}) the checks: the broker alive, every round trip
 * made, their 99th percentile under {@link #P99_LIMIT_MILLIS}, and the heap after a full GC within an allowance of
 * what it was before. It prints one line of figures, prefixed {@code [memory]}, which bench/README
 * quotes.
 *
 * <p>With {@code -Dhostile.unbudgeted=true} each attack runs with the budgets it meets turned off
 * (set to 0, or the User Property bound to the largest value), the broken variant every case must
 * catch: then the cases fail, by the heap check, a lost round trip or a broker that ran out of
 * memory and exited.
 */
final class MemoryAttack implements AutoCloseable {

    static final String HEAP = "128m";
    static final long MB = 1 << 20;
    static final boolean UNBUDGETED = Boolean.getBoolean("hostile.unbudgeted");
    /**
     * The bound on the bystander's p99 round trip. Issue 22 asks for under a second, and on this
     * machine each case measures under one (the figures are printed); the bound is twice that
     * because the build runs these cases side by side on a machine shared with other builds (load
     * 18 on 2 cores when they were written), while the 2 to 5 s stalls the issue found still fail it.
     */
    static final long P99_LIMIT_MILLIS = 2_000;
    /** What the JVM and the broker allocate besides what the budgets count: thread buffers, GC slack. */
    static final long SLACK = 8 * MB;

    final HostileBroker broker;
    final Bystander bystander;
    private final String attack;
    private final HostileCheck check;
    private final LatencyProbe probe;

    private MemoryAttack(String attack, HostileBroker broker, Bystander bystander) throws IOException {
        this.attack = attack;
        this.broker = broker;
        this.bystander = bystander;
        this.check = HostileCheck.before(attack, broker, bystander);
        broker.peakHeap();   // the peak is measured from here
        this.probe = LatencyProbe.start(bystander);
    }

    /**
     * Starts the broker with {@code config} (and, with {@code hostile.unbudgeted}, the lines in
     * {@code budgetsOff}), connects the bystander and starts probing it.
     */
    static MemoryAttack start(String attack, List<String> budgetsOff, String... config) throws IOException {
        List<String> lines = new ArrayList<>(List.of("connect_timeout_ms 1500"));
        lines.addAll(List.of(config));
        if (UNBUDGETED) {
            lines.addAll(budgetsOff);
        }
        HostileBroker broker = HostileBroker.childProcess(HEAP, lines);
        try {
            return new MemoryAttack(attack, broker, Bystander.connect(broker.port(), "memory"));
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Ends the attack: stops the probe and checks the broker (above) with the heap after a full GC
     * at most {@code allowanceBytes} above what it was before; prints the figures with
     * {@code attackersGot}, what the attacking clients were answered.
     */
    void finish(long allowanceBytes, String attackersGot) throws IOException, InterruptedException {
        LatencyProbe.Latencies latencies = probe.stop();
        if (!broker.isRunning()) {
            throw new AssertionError(attack + ": the broker ended with exit code " + broker.exitCode(1_000));
        }
        long peak = broker.peakHeap();
        long heap = check.stillServes("at the end of the attack", allowanceBytes);
        System.out.printf("[memory] %s (-Xmx%s): peak heap %.1f MB, heap after full GC %.1f MB (allowed %.1f MB more"
                        + " than before), bystander QoS 1 round trip p99 %d ms, max %d ms over %d; the attackers got: %s%n",
                attack, HEAP, peak / (double) MB, heap / (double) MB, allowanceBytes / (double) MB, latencies.p99(),
                latencies.max(), latencies.count(), attackersGot);
        if (latencies.p99() >= P99_LIMIT_MILLIS) {
            throw new AssertionError(attack + ": the bystander's p99 round trip was " + latencies.p99() + " ms");
        }
    }

    /** The heap the budgets give this broker: what {@link Runtime#maxMemory} says in the child. */
    static long budget(long divisor) {
        return maxHeap() / divisor;
    }

    /** {@link Runtime#maxMemory()} of a JVM started with {@code -Xmx}{@value #HEAP} and the serial collector. */
    static long maxHeap() {
        return 128 * MB;   // an upper bound: the JVM reports a little less (one survivor space)
    }

    @Override
    public void close() throws IOException {
        try {
            bystander.close();
        } catch (IOException ignored) {
            // the broker may have gone: closing it below is what matters
        } finally {
            broker.close();
        }
    }
}
