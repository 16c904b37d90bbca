package io.checkedmqtt.core.topic;

import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"sport/tennis/player1", "/", "a//b", "//", "$SYS/broker/load", "a b/\u00e9/\ud83d\ude00",
            "$share/g/a"})
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-1] valid topic names, empty levels and $ topics included")
    void valid(String topic) {
        assertNull(TopicName.validate(topic));
        assertTrue(TopicName.isValid(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport/+", "sport/#", "+", "#", "a+b", "a#"})
    @DisplayName("v5 [MQTT-3.3.2-2] [MQTT-4.7.0-1] and v3.1.1 [MQTT-4.7.1-1] topic names contain no wildcard")
    void wildcardsRefused(String topic) {
        assertEquals(ReasonCode.TOPIC_NAME_INVALID, TopicName.validate(topic));
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-1] [MQTT-4.7.3-2] [MQTT-4.7.3-3] empty, U+0000, over 65,535 bytes are invalid")
    void lengthAndNul() {
        assertFalse(TopicName.isValid(""));
        assertFalse(TopicName.isValid(null));
        assertFalse(TopicName.isValid("a\u0000"));
        assertTrue(TopicName.isValid("a".repeat(65_535)));
        assertFalse(TopicName.isValid("a".repeat(65_536)));
        assertTrue(TopicName.isValid("\u20ac".repeat(21_845)));  // 3 bytes each: 65,535
        assertFalse(TopicName.isValid("\u20ac".repeat(21_846)));
        assertTrue(TopicName.isValid("\ud83d\ude00".repeat(16_383))); // 4 bytes each: 65,532
        assertFalse(TopicName.isValid("\ud83d\ude00".repeat(16_384)));
    }

    @Test
    @DisplayName("v5 [MQTT-1.5.4-1] and v3.1.1 [MQTT-1.5.3-1] a topic with an unpaired surrogate is invalid")
    void surrogates() {
        assertFalse(TopicName.isValid("a\ud800"));
        assertFalse(TopicName.isValid("\udc00a"));
        assertFalse(TopicName.isValid("\ud800\ud800"));
    }
}
