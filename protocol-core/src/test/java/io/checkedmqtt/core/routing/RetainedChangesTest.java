package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.checkedmqtt.core.routing.Fixtures.retained;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * {@link RetainedMessages#changesSince} (and under it the structural comparison of the tries'
 * child maps, {@link HashTrieDiff}) against a brute-force comparison of every topic.
 */
class RetainedChangesTest {

    /** Topics with shared prefixes, empty levels, {@code $} topics and many children of one node. */
    private static String topic(int n) {
        return switch (n % 6) {
            case 0 -> "a/" + (n % 40);
            case 1 -> "a/" + (n % 40) + "/x";
            case 2 -> "$SYS/" + (n % 7);
            case 3 -> "/" + (n % 5) + "//";
            case 4 -> "b";
            default -> "c/" + n % 300 + "/" + n % 3;
        };
    }

    private static RetainedMessages apply(RetainedMessages store, List<Integer> ops) {
        RetainedMessages s = store;
        for (int op : ops) {
            String payload = op % 4 == 0 ? "" : "p" + op;   // an empty payload removes the topic's message
            s = s.retain(retained(topic(Math.abs(op / 4)), payload, QoS.AT_LEAST_ONCE), op);
        }
        return s;
    }

    private static Map<String, RetainedMessage> all(RetainedMessages store) {
        Map<String, RetainedMessage> out = new HashMap<>();
        store.changesSince(RetainedMessages.empty(), (was, now) -> out.put(now.publish().topic(), now));
        return out;
    }

    @Test
    @DisplayName("changesSince reports each topic whose retained message was replaced, added or removed, once, and no other")
    void matchesBruteForce() {
        qt().withExamples(300).forAll(lists().of(integers().between(-5000, 5000)).ofSizeBetween(0, 150),
                lists().of(integers().between(-5000, 5000)).ofSizeBetween(0, 30)).checkAssert((base, step) -> {
            RetainedMessages before = apply(RetainedMessages.empty(), base);
            RetainedMessages after = apply(before, step);
            Map<String, RetainedMessage[]> reported = new HashMap<>();
            after.changesSince(before, (was, now) -> {
                String topic = (now != null ? now : was).publish().topic();
                assertNull(reported.put(topic, new RetainedMessage[] {was, now}), "reported twice: " + topic);
            });
            Map<String, RetainedMessage> a = all(before);
            Map<String, RetainedMessage> b = all(after);
            Set<String> topics = new HashSet<>(a.keySet());
            topics.addAll(b.keySet());
            int changed = 0;
            for (String topic : topics) {
                if (a.get(topic) != b.get(topic)) {
                    changed++;
                    RetainedMessage[] pair = reported.get(topic);
                    assertEquals(a.get(topic), pair[0], "before, " + topic);
                    assertEquals(b.get(topic), pair[1], "after, " + topic);
                }
            }
            assertEquals(changed, reported.size());
            assertEquals(after.size(), all(after).size(), "from the empty store: every message once");
        });
    }
}
