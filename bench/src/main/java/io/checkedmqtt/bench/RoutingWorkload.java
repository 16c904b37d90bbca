package io.checkedmqtt.bench;

import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.routing.SubscriptionIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic subscription workload for the routing benchmarks: device-style topics of 1-8
 * levels ({@code site3/line41/cell512/...}) with 1,000 values per level. Filters: 80 % exact
 * (1-8 levels), 15 % of 3-8 levels with one {@code +} level, 5 % of 3-7 levels then {@code /#}.
 * Half the probe topics are the topics of existing exact filters (hits), half random (mostly
 * misses). Short exact topics are popular: 1-level topics have about ten subscribers each.
 */
final class RoutingWorkload {

    static final int[] VOCABULARY = {1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000};
    static final String[] PREFIX = {"site", "line", "cell", "dev", "ch", "m", "k", "v"};

    final List<String> filters = new ArrayList<>();
    final List<String> clients = new ArrayList<>();
    final List<String> exactTopics = new ArrayList<>();
    final String[] probeTopics;
    final String[] newFilters;
    final String[] newClients;

    RoutingWorkload(int subscriptions, int probes, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < subscriptions; i++) {
            filters.add(filter(random));
            clients.add("client-" + (i % 20_000)); // 20,000 clients with 5 subscriptions each
        }
        for (String f : filters) {
            if (f.indexOf('+') < 0 && f.indexOf('#') < 0) {
                exactTopics.add(f);
            }
        }
        probeTopics = new String[probes];
        for (int i = 0; i < probes; i++) {
            probeTopics[i] = i % 2 == 0 ? exactTopics.get(random.nextInt(exactTopics.size())) : topic(random, 1 + random.nextInt(8));
        }
        newFilters = new String[probes];
        newClients = new String[probes];
        for (int i = 0; i < probes; i++) {
            newFilters[i] = filter(random);
            newClients[i] = "new-client-" + i;
        }
    }

    SubscriptionIndex buildIndex() {
        SubscriptionIndex index = SubscriptionIndex.empty();
        SubscriptionOptions options = SubscriptionOptions.of(QoS.AT_LEAST_ONCE);
        for (int i = 0; i < filters.size(); i++) {
            index = index.subscribe(clients.get(i), new Subscription(filters.get(i), options), 0).index();
        }
        return index;
    }

    static String topic(Random random, int levels) {
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                sb.append('/');
            }
            sb.append(PREFIX[l]).append(random.nextInt(VOCABULARY[l]));
        }
        return sb.toString();
    }

    static String filter(Random random) {
        int kind = random.nextInt(100);
        int levels = 1 + random.nextInt(8);
        if (kind < 80) {
            return topic(random, levels);
        }
        if (kind < 95) {
            String[] parts = topic(random, 3 + random.nextInt(6)).split("/");
            parts[random.nextInt(parts.length)] = "+";
            return String.join("/", parts);
        }
        return topic(random, 3 + random.nextInt(5)) + "/#";
    }
}
