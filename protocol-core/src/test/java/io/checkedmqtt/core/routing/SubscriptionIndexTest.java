package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.checkedmqtt.core.routing.Fixtures.sub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionIndexTest {

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-3.8.4-3] subscribing to an identical filter replaces the options, keeping one entry")
    void identicalFilterReplaces() {
        SubscriptionIndex.SubscribeResult first = SubscriptionIndex.empty().subscribe("c", sub("a/+", QoS.AT_MOST_ONCE), 0);
        assertFalse(first.existedBefore());
        SubscriptionIndex.SubscribeResult second = first.index().subscribe("c", sub("a/+", QoS.EXACTLY_ONCE), 5);
        assertTrue(second.existedBefore());
        assertEquals(QoS.AT_MOST_ONCE, second.replaced().options().maxQos());
        assertEquals(1, second.index().size());
        List<Subscriber> m = second.index().match("a/b");
        assertEquals(1, m.size());
        assertEquals(QoS.EXACTLY_ONCE, m.get(0).options().maxQos());
        assertEquals(5, m.get(0).subscriptionId());
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-3.10.4-1] unsubscribe compares filters character by character")
    void unsubscribeIsLiteral() {
        SubscriptionIndex index = SubscriptionIndex.empty().subscribe("c", sub("a/+", QoS.AT_MOST_ONCE), 0).index();
        assertFalse(index.unsubscribe("c", "a/b").existed(), "a/b is matched by a/+ but is not the same filter");
        assertFalse(index.unsubscribe("c", "a/+/").existed());
        assertFalse(index.unsubscribe("other", "a/+").existed());
        SubscriptionIndex.UnsubscribeResult r = index.unsubscribe("c", "a/+");
        assertTrue(r.existed());
        assertTrue(r.index().isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-3.10.4-5] unsubscribing an unknown filter leaves the index unchanged (and still answers)")
    void unknownFilter() {
        SubscriptionIndex index = SubscriptionIndex.empty().subscribe("c", sub("a", QoS.AT_MOST_ONCE), 0).index();
        SubscriptionIndex.UnsubscribeResult r = index.unsubscribe("c", "b");
        assertFalse(r.existed());
        assertSame(index, r.index());
    }

    @Test
    @DisplayName("a client's shared and ordinary subscriptions to one filter are separate entries")
    void sharedAndPlainCoexist() {
        SubscriptionIndex index = SubscriptionIndex.empty()
                .subscribe("c", sub("a/#", QoS.AT_MOST_ONCE), 0).index()
                .subscribe("c", sub("$share/g/a/#", QoS.AT_LEAST_ONCE), 0).index()
                .subscribe("c", sub("$share/h/a/#", QoS.AT_LEAST_ONCE), 0).index();
        assertEquals(3, index.size());
        assertEquals(3, index.match("a/b").size());
        assertEquals("g", index.get("c", "$share/g/a/#").shareGroup());
        assertNull(index.get("c", "a/#").shareGroup());
        assertTrue(index.hasSharedMembers("$share/g/a/#"));
        SubscriptionIndex without = index.unsubscribe("c", "$share/g/a/#").index();
        assertFalse(without.hasSharedMembers("$share/g/a/#"));
        assertTrue(without.hasSharedMembers("$share/h/a/#"));
        assertEquals(2, without.match("a/b").size());
    }

    @Test
    @DisplayName("removeClient drops the given filters of that client only")
    void removeClient() {
        SubscriptionIndex index = SubscriptionIndex.empty()
                .subscribe("c", sub("a", QoS.AT_MOST_ONCE), 0).index()
                .subscribe("c", sub("b/#", QoS.AT_MOST_ONCE), 0).index()
                .subscribe("d", sub("a", QoS.AT_MOST_ONCE), 0).index();
        SubscriptionIndex after = index.removeClient("c", List.of("a", "b/#"));
        assertEquals(1, after.size());
        assertEquals("d", after.match("a").get(0).clientId());
        assertEquals(3, index.size(), "the old index is unchanged");
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.2-1] '#' and '+' at the root do not match $ topics; $SYS/# does")
    void dollarTopicsAtRoot() {
        SubscriptionIndex index = SubscriptionIndex.empty()
                .subscribe("hash", sub("#", QoS.AT_MOST_ONCE), 0).index()
                .subscribe("plus", sub("+/x", QoS.AT_MOST_ONCE), 0).index()
                .subscribe("sys", sub("$SYS/#", QoS.AT_MOST_ONCE), 0).index();
        List<Subscriber> m = index.match("$SYS/x");
        assertEquals(1, m.size());
        assertEquals("sys", m.get(0).clientId());
        assertEquals(2, index.match("a/x").size());
    }
}
