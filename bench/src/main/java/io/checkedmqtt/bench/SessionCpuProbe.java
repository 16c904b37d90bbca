package io.checkedmqtt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A cross-check of {@link SessionBenchmark} on a busy machine: the thread's CPU time per QoS 1
 * round trip (time the thread was descheduled is not counted, unlike JMH's wall-clock samples;
 * garbage collection runs on other threads and is not counted either, so read it with the
 * allocation figure of {@code -prof gc}). Prints the median and best of 200 batches of 100,000.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.checkedmqtt.bench.SessionCpuProbe</pre>
 */
public final class SessionCpuProbe {

    private SessionCpuProbe() {
    }

    public static void main(String[] args) {
        SessionBenchmark b = new SessionBenchmark();
        b.setup();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (String op : new String[] {"session", "broker", "session", "broker"}) {
            int batches = 200;
            int perBatch = op.equals("session") ? 100_000 : 20_000;
            double[] perOp = new double[batches];
            for (int i = 0; i < batches; i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int k = 0; k < perBatch; k++) {
                    sink += op.equals("session") ? b.sessionQos1RoundTrip().lastPacketId()
                            : b.brokerQos1RoundTrip().assignedIds();
                }
                perOp[i] = (mx.getCurrentThreadCpuTime() - t0) / (double) perBatch;
            }
            Arrays.sort(perOp);
            System.out.printf("%-8s median %6.0f ns/op (%.2f M/s per core), best %6.0f ns/op%n", op,
                    perOp[batches / 2], 1_000.0 / perOp[batches / 2], perOp[0]);
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
