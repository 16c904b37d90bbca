package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.topic.TopicGenerators;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.checkedmqtt.core.routing.Fixtures.publish;
import static io.checkedmqtt.core.routing.Fixtures.retained;
import static io.checkedmqtt.core.routing.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

class RetainedMessagesTest {

    @Test
    @DisplayName("v5 [MQTT-3.3.1-5] and v3.1.1 [MQTT-3.3.1-5] [MQTT-3.3.1-7] a newer retained message replaces the topic's one")
    void replaces() {
        RetainedMessages store = RetainedMessages.empty()
                .retain(retained("a/b", "one", QoS.AT_LEAST_ONCE), 1)
                .retain(retained("a/b", "two", QoS.AT_MOST_ONCE), 2);
        assertEquals(1, store.size());
        assertEquals("two", text(store.get("a/b").publish()));
        assertEquals(QoS.AT_MOST_ONCE, store.get("a/b").publish().qos());
        assertEquals(2, store.get("a/b").receivedAtMillis());
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.1-6] [MQTT-3.3.1-7] and v3.1.1 [MQTT-3.3.1-10] [MQTT-3.3.1-11] an empty payload removes the retained message and is not stored")
    void emptyPayloadRemoves() {
        RetainedMessages store = RetainedMessages.empty().retain(retained("a/b", "one", QoS.AT_LEAST_ONCE), 1);
        RetainedMessages cleared = store.retain(retained("a/b", "", QoS.AT_LEAST_ONCE), 2);
        assertNull(cleared.get("a/b"));
        assertTrue(cleared.isEmpty());
        assertSame(RetainedMessages.empty(), RetainedMessages.empty().retain(retained("x", "", QoS.AT_MOST_ONCE), 1));
        assertEquals(1, store.size(), "older value unchanged");
    }

    @Test
    @DisplayName("the stored copy has RETAIN=1, DUP=0 and no packet id")
    void storedForm() {
        RetainedMessages store = RetainedMessages.empty().retain(retained("a", "x", QoS.EXACTLY_ONCE).asDuplicate(), 1);
        assertTrue(store.get("a").publish().retain());
        assertFalse(store.get("a").publish().dup());
        assertEquals(0, store.get("a").publish().packetId());
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.2-1] matching() over the store equals matching every stored topic, $ topics and empty levels included")
    void matchingEqualsNaive() {
        qt().withExamples(400)
                .forAll(lists().of(TopicGenerators.topics()).ofSizeBetween(0, 40),
                        lists().of(TopicGenerators.topics()).ofSizeBetween(0, 10),
                        TopicGenerators.filters())
                .check((stored, removed, filter) -> {
                    RetainedMessages store = RetainedMessages.empty();
                    Map<String, String> reference = new TreeMap<>();
                    int i = 0;
                    for (String t : stored) {
                        store = store.retain(retained(t, "m" + i, QoS.AT_MOST_ONCE), i);
                        reference.put(t, "m" + i);
                        i++;
                    }
                    for (String t : removed) {
                        store = store.retain(retained(t, "", QoS.AT_MOST_ONCE), i++);
                        reference.remove(t);
                    }
                    List<String> expected = new ArrayList<>();
                    reference.forEach((t, p) -> {
                        if (TopicGenerators.naiveMatches(filter, t)) {
                            expected.add(t + "=" + p);
                        }
                    });
                    List<String> actual = new ArrayList<>();
                    for (RetainedMessage m : store.matching(filter)) {
                        actual.add(m.publish().topic() + "=" + text(m.publish()));
                    }
                    actual.sort(null);
                    expected.sort(null);
                    return actual.equals(expected) && store.size() == reference.size();
                });
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-5] withoutExpired drops retained messages whose expiry interval has passed")
    void withoutExpired() {
        RetainedMessages store = RetainedMessages.empty()
                .retain(retained("a", "short", QoS.AT_MOST_ONCE).withProperties(
                        Fixtures.props(new io.checkedmqtt.core.packet.Property.IntegerProperty(
                                io.checkedmqtt.core.packet.PropertyId.MESSAGE_EXPIRY_INTERVAL, 10))), 0)
                .retain(retained("b", "forever", QoS.AT_MOST_ONCE), 0);
        assertEquals(2, store.withoutExpired(10_000).size());
        RetainedMessages later = store.withoutExpired(10_001);
        assertEquals(1, later.size());
        assertNull(later.get("a"));
        assertEquals("forever", text(later.get("b").publish()));
        assertEquals(publish("b", "forever", QoS.AT_MOST_ONCE).topic(), later.get("b").publish().topic());
    }
}
