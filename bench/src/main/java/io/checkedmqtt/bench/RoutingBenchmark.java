package io.checkedmqtt.bench;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.routing.Router;
import io.checkedmqtt.core.routing.Subscriber;
import io.checkedmqtt.core.routing.SubscriptionIndex;
import io.checkedmqtt.core.topic.TopicFilter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The routing hot paths on an index of {@code subscriptions} subscriptions (see
 * {@link RoutingWorkload} for the mix): matching one topic, routing one PUBLISH (match + one
 * delivery per client), subscribing and unsubscribing one filter (each returns a new immutable
 * index; the benchmark index itself never changes), and the naive "test every filter" scan for
 * comparison (about 15 ms per topic at 100,000: give it {@code -bm avgt -tu us}). Memory per
 * subscription: {@link RoutingMemory}; CPU time per operation on a busy machine:
 * {@link RoutingCpuProbe}.
 *
 * <pre>
 * mvn -B -ntp -o package -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar RoutingBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s -bm sample -tu ns
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBenchmark {

    private static final int PROBES = 1 << 12;

    @Param("100000")
    public int subscriptions;

    private SubscriptionIndex index;
    private Router router;
    private RoutingWorkload workload;
    private Publish[] publishes;
    private final SubscriptionOptions options = SubscriptionOptions.of(QoS.AT_LEAST_ONCE);
    private int next;

    @Setup
    public void setUp() {
        workload = new RoutingWorkload(subscriptions, PROBES, 42);
        index = workload.buildIndex();
        Router r = Router.empty();
        for (int i = 0; i < workload.filters.size(); i++) {
            r = r.subscribe(workload.clients.get(i), io.checkedmqtt.core.packet.ProtocolVersion.MQTT_5,
                    new Subscription(workload.filters.get(i), options), 0, 0).router();
        }
        router = r;
        publishes = new Publish[PROBES];
        byte[] payload = "21.5".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < PROBES; i++) {
            publishes[i] = new Publish(workload.probeTopics[i], payload, QoS.AT_LEAST_ONCE, false, false, 1, Properties.EMPTY);
        }
        int total = 0;
        int max = 0;
        int empty = 0;
        for (String t : workload.probeTopics) {
            int m = index.match(t).size();
            total += m;
            max = Math.max(max, m);
            empty += m == 0 ? 1 : 0;
        }
        System.out.printf("%n[routing] %d subscriptions, %d probe topics: %.2f matches per topic on average, max %d, %d with none%n",
                index.size(), PROBES, total / (double) PROBES, max, empty);
    }

    private int nextSlot() {
        next = (next + 1) & (PROBES - 1);
        return next;
    }

    @Benchmark
    public List<Subscriber> matchOneTopic() {
        return index.match(workload.probeTopics[nextSlot()]);
    }

    @Benchmark
    public Router.RouteResult routeOnePublish() {
        return router.route(publishes[nextSlot()], "publisher", 0, c -> true);
    }

    @Benchmark
    public SubscriptionIndex subscribeOneFilter() {
        int i = nextSlot();
        return index.subscribe(workload.newClients[i], new Subscription(workload.newFilters[i], options), 0).index();
    }

    @Benchmark
    public SubscriptionIndex unsubscribeOneFilter() {
        int i = nextSlot() % workload.filters.size();
        return index.unsubscribe(workload.clients.get(i), workload.filters.get(i)).index();
    }

    /** The reference the index replaces: test every filter. Only for small {@code subscriptions}. */
    @Benchmark
    public int naiveScanOneTopic() {
        String topic = workload.probeTopics[nextSlot()];
        int hits = 0;
        for (String f : workload.filters) {
            if (TopicFilter.matches(f, topic)) {
                hits++;
            }
        }
        return hits;
    }
}
