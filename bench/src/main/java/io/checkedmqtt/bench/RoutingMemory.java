package io.checkedmqtt.bench;

import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.routing.SubscriptionIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Retained heap per subscription in the {@link SubscriptionIndex}, measured as the growth of the
 * used heap after full GCs (filter and client-id strings are created before the first
 * measurement, so they are not counted: the index keeps references to them, not copies).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.checkedmqtt.bench.RoutingMemory</pre>
 */
public final class RoutingMemory {

    private RoutingMemory() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Random random = new Random(7);
        SubscriptionOptions options = SubscriptionOptions.of(QoS.AT_LEAST_ONCE);

        List<String> workloadExact = new ArrayList<>();
        while (workloadExact.size() < n) {
            workloadExact.add(RoutingWorkload.topic(random, 1 + random.nextInt(8)));
        }
        List<String> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add("client-" + i);
        }
        List<String> deepUnique = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            deepUnique.add("unique" + i + "/a/b/c/d/e/f/g");
        }

        report("exact filters, workload mix of 1-8 levels (shared prefixes)", n,
                () -> build(workloadExact, clients, options));
        report("one exact filter 'a/b/c', a different client each (entry cost only)", n,
                () -> build(repeat("a/b/c", n), clients, options));
        report("exact filters of 8 levels with nothing shared but the root", n,
                () -> build(deepUnique, clients, options));
    }

    private static List<String> repeat(String s, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(s);
        }
        return out;
    }

    private static SubscriptionIndex build(List<String> filters, List<String> clients, SubscriptionOptions options) {
        SubscriptionIndex index = SubscriptionIndex.empty();
        for (int i = 0; i < filters.size(); i++) {
            index = index.subscribe(clients.get(i), new Subscription(filters.get(i), options), 0).index();
        }
        return index;
    }

    private static void report(String what, int n, java.util.function.Supplier<SubscriptionIndex> build) {
        long before = HeapUse.usedAfterGc();
        SubscriptionIndex index = build.get();
        long after = HeapUse.usedAfterGc();
        System.out.printf("%-72s %,d subscriptions: %,.0f bytes each%n", what, index.size(), (after - before) / (double) n);
        if (index.size() < 0) {
            throw new AssertionError(); // keeps the index reachable until after the measurement
        }
    }
}
