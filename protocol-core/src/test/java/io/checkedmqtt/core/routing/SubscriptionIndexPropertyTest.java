package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.topic.SharedSubscription;
import io.checkedmqtt.core.topic.TopicGenerators;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * The index against the obvious reference: keep every (client, filter) in a list and test each
 * filter against the topic with a split-based matcher written from the spec text.
 */
class SubscriptionIndexPropertyTest {

    record Op(boolean subscribe, String client, String filter, int qos) {
    }

    private static Gen<Op> ops() {
        return Generate.frequency(
                        org.quicktheories.api.Pair.of(3, Generate.constant(true)),
                        org.quicktheories.api.Pair.of(1, Generate.constant(false)))
                .zip(TopicGenerators.clients(), TopicGenerators.subscriptionFilters(), Generate.range(0, 2), Op::new);
    }

    /** The reference: every live (client, filter) with its QoS, and plain matching over all of them. */
    static final class Reference {
        final Map<String, Integer> entries = new LinkedHashMap<>(); // "client|filter" -> qos

        List<String> match(String topic) {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, Integer> e : entries.entrySet()) {
                String filter = e.getKey().substring(e.getKey().indexOf('|') + 1);
                SharedSubscription shared = SharedSubscription.parse(filter);
                String inner = shared == null ? filter : shared.filter();
                if (TopicGenerators.naiveMatches(inner, topic)) {
                    out.add(e.getKey() + "|" + e.getValue());
                }
            }
            out.sort(null);
            return out;
        }
    }

    static List<String> describe(List<Subscriber> matches) {
        List<String> out = new ArrayList<>();
        for (Subscriber s : matches) {
            out.add(s.clientId() + "|" + s.topicFilter() + "|" + s.options().maxQos().value());
        }
        out.sort(null);
        return out;
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.1-1] [MQTT-4.7.2-1] [MQTT-4.7.3-4] match() returns exactly what matching every filter returns, for arbitrary filter sets and topics")
    void indexEqualsNaiveMatching() {
        qt().withExamples(400)
                .forAll(lists().of(TopicGenerators.clients().zip(TopicGenerators.subscriptionFilters(), (c, f) -> c + "|" + f))
                                .ofSizeBetween(0, 60),
                        lists().of(TopicGenerators.topics()).ofSizeBetween(1, 20))
                .check((subs, topics) -> {
                    SubscriptionIndex index = SubscriptionIndex.empty();
                    Reference reference = new Reference();
                    for (String s : subs) {
                        String client = s.substring(0, s.indexOf('|'));
                        String filter = s.substring(s.indexOf('|') + 1);
                        index = index.subscribe(client, new Subscription(filter, SubscriptionOptions.of(QoS.AT_MOST_ONCE)), 0)
                                .index();
                        reference.entries.put(s, 0);
                    }
                    if (index.size() != reference.entries.size()) {
                        return false;
                    }
                    for (String topic : topics) {
                        if (!describe(index.match(topic)).equals(reference.match(topic))) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-3.8.4-3] [MQTT-3.10.4-1] subscribe/unsubscribe sequences keep index and reference equal; old versions stay valid")
    void sequencesKeepIndexAndReferenceEqual() {
        qt().withExamples(300)
                .forAll(lists().of(ops()).ofSizeBetween(1, 120), lists().of(TopicGenerators.topics()).ofSizeBetween(1, 15))
                .check((ops, topics) -> {
                    SubscriptionIndex index = SubscriptionIndex.empty();
                    Reference reference = new Reference();
                    SubscriptionIndex snapshot = null;
                    Reference snapshotReference = null;
                    for (int i = 0; i < ops.size(); i++) {
                        Op op = ops.get(i);
                        String key = op.client() + "|" + op.filter();
                        if (op.subscribe()) {
                            SubscriptionIndex.SubscribeResult r = index.subscribe(op.client(),
                                    new Subscription(op.filter(), SubscriptionOptions.of(QoS.of(op.qos()))), 0);
                            if (r.existedBefore() != reference.entries.containsKey(key)) {
                                return false;
                            }
                            index = r.index();
                            reference.entries.put(key, op.qos());
                        } else {
                            SubscriptionIndex.UnsubscribeResult r = index.unsubscribe(op.client(), op.filter());
                            if (r.existed() != reference.entries.containsKey(key)) {
                                return false;
                            }
                            index = r.index();
                            reference.entries.remove(key);
                        }
                        if (index.size() != reference.entries.size()) {
                            return false;
                        }
                        if (i == ops.size() / 2) {
                            snapshot = index;
                            snapshotReference = new Reference();
                            snapshotReference.entries.putAll(reference.entries);
                        }
                    }
                    for (String topic : topics) {
                        if (!describe(index.match(topic)).equals(reference.match(topic))) {
                            return false;
                        }
                        if (!describe(snapshot.match(topic)).equals(snapshotReference.match(topic))) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    @Test
    @DisplayName("unsubscribing everything leaves an index that matches nothing (empty nodes are pruned)")
    void unsubscribeAllLeavesNothing() {
        qt().withExamples(200)
                .forAll(lists().of(TopicGenerators.clients().zip(TopicGenerators.subscriptionFilters(), (c, f) -> List.of(c, f)))
                        .ofSizeBetween(1, 40), TopicGenerators.topics())
                .check((subs, topic) -> {
                    SubscriptionIndex index = SubscriptionIndex.empty();
                    for (List<String> s : subs) {
                        index = index.subscribe(s.get(0), new Subscription(s.get(1), SubscriptionOptions.of(QoS.AT_LEAST_ONCE)), 0)
                                .index();
                    }
                    for (List<String> s : subs) {
                        index = index.unsubscribe(s.get(0), s.get(1)).index();
                    }
                    return index.isEmpty() && index.match(topic).isEmpty();
                });
    }
}
