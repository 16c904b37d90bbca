package io.checkedmqtt.bench;

import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.routing.SubscriptionIndex;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A cross-check of {@link RoutingBenchmark} on a busy machine: the thread's CPU time per
 * operation (time the thread was descheduled is not counted, unlike JMH's wall-clock samples).
 * Runs batches of 4,096 operations and prints the median and best batch average.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.checkedmqtt.bench.RoutingCpuProbe</pre>
 */
public final class RoutingCpuProbe {

    private RoutingCpuProbe() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        RoutingWorkload w = new RoutingWorkload(n, 4_096, 42);
        SubscriptionIndex index = w.buildIndex();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        SubscriptionOptions options = SubscriptionOptions.of(QoS.AT_LEAST_ONCE);
        long sink = 0;
        for (String op : new String[] {"match", "subscribe", "match", "subscribe"}) {
            int batches = 400;
            double[] perOp = new double[batches];
            for (int b = 0; b < batches; b++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < 4_096; i++) {
                    if (op.equals("match")) {
                        sink += index.match(w.probeTopics[i]).size();
                    } else {
                        sink += index.subscribe(w.newClients[i], new Subscription(w.newFilters[i], options), 0).index().size();
                    }
                }
                perOp[b] = (mx.getCurrentThreadCpuTime() - t0) / 4_096.0;
            }
            java.util.Arrays.sort(perOp);
            System.out.printf("%-10s CPU ns/op over batches of 4,096: median %.0f, best %.0f, p90 %.0f%n",
                    op, perOp[batches / 2], perOp[0], perOp[batches * 9 / 10]);
        }
        System.out.println("(sink " + sink + ")");
    }
}
