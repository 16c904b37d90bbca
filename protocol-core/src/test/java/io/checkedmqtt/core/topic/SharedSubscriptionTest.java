package io.checkedmqtt.core.topic;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedSubscriptionTest {

    @Test
    @DisplayName("v5 [MQTT-4.8.2-1] [MQTT-4.8.2-2] $share/{ShareName}/{filter} parses into group and filter")
    void parses() {
        assertEquals(new SharedSubscription("g", "sport/#"), SharedSubscription.parse("$share/g/sport/#"));
        assertEquals(new SharedSubscription("consumers", "+"), SharedSubscription.parse("$share/consumers/+"));
        assertEquals(new SharedSubscription("g", "/"), SharedSubscription.parse("$share/g//"));
        assertEquals("$share/g/a/b", SharedSubscription.parse("$share/g/a/b").asTopicFilter());
    }

    @Test
    @DisplayName("v5 [MQTT-4.8.2-1] [MQTT-4.8.2-2] an empty ShareName, a wildcard in it or a missing filter is not a shared filter")
    void rejects() {
        assertNull(SharedSubscription.parse("$share//a"));
        assertNull(SharedSubscription.parse("$share/g"));
        assertNull(SharedSubscription.parse("$share/g/"));
        assertNull(SharedSubscription.parse("$share/g+/a"));
        assertNull(SharedSubscription.parse("$share/#/a"));
        assertNull(SharedSubscription.parse("$share/g/a#"));
    }

    @Test
    @DisplayName("filters that merely resemble the prefix are ordinary filters")
    void ordinary() {
        assertNull(SharedSubscription.parse("$share"));
        assertNull(SharedSubscription.parse("$shared/g/a"));
        assertNull(SharedSubscription.parse("a/$share/g/b"));
        assertFalse(SharedSubscription.isShared("$share"));
        assertTrue(SharedSubscription.isShared("$share/"));
    }
}
