package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.SubscriptionOptions.RetainHandling;
import io.checkedmqtt.core.topic.TopicGenerators;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.checkedmqtt.core.routing.Fixtures.V5;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

/** {@link Router#route} against a per-client model written directly from the spec rules. */
class RouterPropertyTest {

    record Sub(String client, String filter, int qos, boolean noLocal, boolean rap, int id) {
    }

    private static Gen<Sub> subs() {
        Gen<Boolean> b = Generate.booleans();
        return TopicGenerators.clients().zip(TopicGenerators.filters(), Generate.range(0, 2), b,
                (c, f, q, nl) -> new Sub(c, f, q, nl, false, 0))
                .zip(b, Generate.range(0, 3), (s, rap, id) -> new Sub(s.client(), s.filter(), s.qos(), s.noLocal(), rap, id));
    }

    /** What the spec says one client should get, or null when nothing. */
    private static String expected(List<Sub> live, String client, String topic, int pubQos, boolean pubRetain,
                                   String publisher) {
        int max = -1;
        boolean rap = false;
        TreeSet<Integer> ids = new TreeSet<>();
        for (Sub s : live) {
            if (!s.client().equals(client) || !TopicGenerators.naiveMatches(s.filter(), topic)) {
                continue;
            }
            if (s.noLocal() && client.equals(publisher)) {
                continue; // [MQTT-3.8.3-3]
            }
            max = Math.max(max, s.qos());
            rap |= s.rap();
            if (s.id() != 0) {
                ids.add(s.id());
            }
        }
        if (max < 0) {
            return null;
        }
        return "qos=" + Math.min(max, pubQos) + " retain=" + (pubRetain && rap) + " ids=" + ids;
    }

    private static String describe(Publish p) {
        List<Long> ids = p.properties().integers(PropertyId.SUBSCRIPTION_IDENTIFIER);
        TreeSet<Integer> sorted = new TreeSet<>();
        ids.forEach(i -> sorted.add((int) (long) i));
        boolean ascending = ids.size() == sorted.size();
        return "qos=" + p.qos().value() + " retain=" + p.retain() + " ids=" + sorted + (ascending ? "" : " (dup ids)");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.3.5-1] v5 [MQTT-3.3.4-2] [MQTT-3.3.4-4] [MQTT-3.8.3-3] [MQTT-3.3.1-12] [MQTT-3.3.1-13] [MQTT-3.8.4-8] route() gives each client exactly the one copy the rules describe")
    void routeMatchesModel() {
        qt().withExamples(500)
                .forAll(lists().of(subs()).ofSizeBetween(0, 30), TopicGenerators.topics(),
                        Generate.range(0, 5), TopicGenerators.clients())
                .check((subs, topic, qosAndRetain, publisher) -> {
                    int pubQos = qosAndRetain % 3;
                    boolean pubRetain = qosAndRetain >= 3;
                    Router router = Router.empty();
                    Map<String, Sub> live = new LinkedHashMap<>(); // last subscription per (client, filter) wins
                    for (Sub s : subs) {
                        router = router.subscribe(s.client(), V5, new Subscription(s.filter(), new SubscriptionOptions(
                                QoS.of(s.qos()), s.noLocal(), s.rap(), RetainHandling.SEND_ON_SUBSCRIBE)), s.id(), 0).router();
                        live.put(s.client() + "|" + s.filter(), s);
                    }
                    Publish p = Fixtures.publish(topic, "x", QoS.of(pubQos)).withRetain(pubRetain);
                    List<Delivery> deliveries = router.route(p, publisher, 0, c -> true).deliveries();
                    Map<String, String> actual = new HashMap<>();
                    for (Delivery d : deliveries) {
                        if (actual.put(d.clientId(), describe(d.publish())) != null) {
                            return false; // two copies for one client
                        }
                        if (!d.publish().topic().equals(topic) || d.publish().dup() || d.publish().packetId() != 0) {
                            return false;
                        }
                    }
                    List<Sub> all = new ArrayList<>(live.values());
                    for (String client : TopicGenerators.CLIENTS) {
                        String want = expected(all, client, topic, pubQos, pubRetain, publisher);
                        if (want == null ? actual.containsKey(client) : !want.equals(actual.get(client))) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    @Test
    @DisplayName("v5 section 4.8.2: over k rounds of m messages, each of m connected members of a group gets exactly k")
    void sharedIsFair() {
        qt().withExamples(100)
                .forAll(Generate.range(1, 5), Generate.range(1, 6), TopicGenerators.topics())
                .check((members, rounds, topic) -> {
                    Router router = Router.empty();
                    for (int i = 0; i < members; i++) {
                        router = router.subscribe("m" + i, V5, Fixtures.sub("$share/g/#", QoS.AT_LEAST_ONCE), 0, 0).router();
                    }
                    if (topic.startsWith("$")) {
                        return router.route(Fixtures.publish(topic, "x", QoS.AT_MOST_ONCE), "p", 0, c -> true)
                                .deliveries().isEmpty(); // [MQTT-4.7.2-1]
                    }
                    Map<String, Integer> counts = new HashMap<>();
                    for (int n = 0; n < members * rounds; n++) {
                        Router.RouteResult r = router.route(Fixtures.publish(topic, "x", QoS.AT_MOST_ONCE), "p", n, c -> true);
                        if (r.deliveries().size() != 1) {
                            return false;
                        }
                        counts.merge(r.deliveries().get(0).clientId(), 1, Integer::sum);
                        router = r.router();
                    }
                    return counts.size() == members && counts.values().stream().allMatch(c -> c == (int) rounds);
                });
    }
}
