package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.SmallStack;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.topic.TopicFilter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.checkedmqtt.core.routing.Fixtures.retained;
import static io.checkedmqtt.core.routing.Fixtures.sub;
import static io.checkedmqtt.core.routing.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The subscription index and the retained store at the deepest topics the spec allows: a Topic
 * Name or Filter is at most 65,535 UTF-8 bytes [MQTT-4.7.3-3], so 65,535 {@code /} make the most
 * levels, 65,536 (all empty), and a {@code +/+/.../+} filter has at most 32,768. Each test runs on
 * a {@link SmallStack}, where a walk that recursed per level would overflow.
 */
class DeepTopicsTest {

    /** 65,535 '/': the longest Topic Name or Filter, with the most levels (65,536). */
    static final String DEEPEST = "/".repeat(65_535);
    /** 32,768 '+' levels: the deepest filter made of single-level wildcards. */
    static final String DEEPEST_PLUS = "+/".repeat(32_767) + "+";
    /** A topic of 32,768 levels that {@link #DEEPEST_PLUS} matches. */
    static final String DEEP_NAME = "a/".repeat(32_767) + "a";

    @Test
    @DisplayName("the control: on the test's small stack a recursion of one frame per level overflows at 65,536 levels")
    void recursionWouldOverflow() {
        SmallStack.assertTooSmallForRecursion(TopicFilter.levelCount(DEEPEST));
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-3] a filter of 65,536 levels is subscribed, matched and unsubscribed")
    void deepestLiteralFilter() throws Exception {
        SmallStack.run(() -> {
            assertEquals(65_536, TopicFilter.levelCount(DEEPEST));
            SubscriptionIndex index = SubscriptionIndex.empty()
                    .subscribe("c", sub(DEEPEST, QoS.AT_LEAST_ONCE), 0).index()
                    .subscribe("d", sub(DEEPEST.substring(1) + "#", QoS.AT_MOST_ONCE), 0).index();
            assertEquals(List.of("c", "d"), clients(index.match(DEEPEST)));
            // d has 65,534 empty levels before '#': it matches a topic of 65,534 levels (its parent) or more
            assertEquals(List.of("d"), clients(index.match(DEEPEST.substring(2))), "'#' matches its parent level");
            assertEquals(List.of(), clients(index.match(DEEPEST.substring(3))));
            SubscriptionIndex.UnsubscribeResult gone = index.unsubscribe("c", DEEPEST);
            assertTrue(gone.existed());
            assertEquals(List.of("d"), clients(gone.index().match(DEEPEST)));
            assertTrue(gone.index().unsubscribe("d", DEEPEST.substring(1) + "#").index().isEmpty());
        });
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.1-2 v5] [MQTT-4.7.1-3 v3.1.1] a filter of 32,768 '+' levels matches a topic of as many levels, and only that")
    void deepestPlusFilter() throws Exception {
        SmallStack.run(() -> {
            SubscriptionIndex index = SubscriptionIndex.empty()
                    .subscribe("c", sub(DEEPEST_PLUS, QoS.AT_LEAST_ONCE), 0).index()
                    .subscribe("d", sub(DEEP_NAME, QoS.AT_LEAST_ONCE), 0).index();
            assertEquals(List.of("c", "d"), clients(index.match(DEEP_NAME)));
            assertEquals(List.of(), clients(index.match(DEEP_NAME + "/a")));
            assertTrue(index.unsubscribe("c", DEEPEST_PLUS).index().unsubscribe("d", DEEP_NAME).index().isEmpty());
        });
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-4] a walk that leaves 1,000 literal branches waiting behind '+' ones returns what matching every filter returns")
    void manyWaitingBranches() {
        List<String> filters = new ArrayList<>();
        SubscriptionIndex index = SubscriptionIndex.empty();
        for (int d = 0; d < 1_000; d++) {
            String filter = "+/".repeat(d) + "x"; // at depth d of the '+' chain: a literal child and a '+' child
            filters.add(filter);
            index = index.subscribe("c" + d, sub(filter, QoS.AT_MOST_ONCE), 0).index();
        }
        for (String topic : List.of("x", "x/x", "x/".repeat(499) + "x", "x/".repeat(999) + "x", "y/".repeat(999) + "x")) {
            List<String> expected = new ArrayList<>();
            for (int d = 0; d < filters.size(); d++) {
                if (TopicFilter.matches(filters.get(d), topic)) {
                    expected.add("c" + d);
                }
            }
            expected.sort(null);
            assertEquals(expected, clients(index.match(topic)), topic.length() + " characters");
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.3.1-5] [MQTT-3.3.1-10] v5 [MQTT-3.3.1-5] [MQTT-3.3.1-6] a retained message on a topic of 65,536 levels is stored, replaced, matched by '#', '+/+/...' and itself, and deleted")
    void deepestRetained() throws Exception {
        SmallStack.run(() -> {
            RetainedMessages store = RetainedMessages.empty()
                    .retain(retained(DEEPEST, "one", QoS.AT_LEAST_ONCE), 1)
                    .retain(retained(DEEP_NAME, "plus", QoS.AT_LEAST_ONCE), 1)
                    .retain(retained(DEEPEST, "two", QoS.AT_LEAST_ONCE), 2);
            assertEquals(2, store.size());
            assertEquals("two", text(store.get(DEEPEST).publish()));
            assertEquals(List.of("two", "plus"), payloads(store.matching("#")));
            assertEquals(List.of("two"), payloads(store.matching(DEEPEST)));
            assertEquals(List.of("two"), payloads(store.matching(DEEPEST.substring(1) + "#")));
            assertEquals(List.of("plus"), payloads(store.matching(DEEPEST_PLUS)));
            RetainedMessages cleared = store.retain(retained(DEEPEST, "", QoS.AT_LEAST_ONCE), 3);
            assertNull(cleared.get(DEEPEST));
            assertEquals(List.of("plus"), payloads(cleared.matching("#")));
            assertTrue(cleared.retain(retained(DEEP_NAME, "", QoS.AT_MOST_ONCE), 4).isEmpty());
        });
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-5] withoutExpired walks and prunes a topic of 65,536 levels")
    void deepestExpiry() throws Exception {
        SmallStack.run(() -> {
            RetainedMessages store = RetainedMessages.empty()
                    .retain(retained(DEEPEST, "short", QoS.AT_MOST_ONCE).withProperties(Fixtures.props(
                            new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 1))), 0)
                    .retain(retained("a", "forever", QoS.AT_MOST_ONCE), 0);
            assertEquals(2, store.withoutExpired(1_000).size());
            RetainedMessages later = store.withoutExpired(1_001);
            assertEquals(List.of("forever"), payloads(later.matching("#")));
        });
    }

    /** The matching clients, sorted: the index promises no order. */
    private static List<String> clients(List<Subscriber> subscribers) {
        List<String> out = new ArrayList<>();
        for (Subscriber s : subscribers) {
            out.add(s.clientId());
        }
        out.sort(null);
        return out;
    }

    private static List<String> payloads(List<RetainedMessage> messages) {
        List<String> out = new ArrayList<>();
        for (RetainedMessage m : messages) {
            out.add(text(m.publish()));
        }
        return out;
    }
}
