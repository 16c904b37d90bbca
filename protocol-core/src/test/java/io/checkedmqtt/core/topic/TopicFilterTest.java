package io.checkedmqtt.core.topic;

import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttCodec;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

class TopicFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"sport/tennis/player1", "sport/tennis/+", "sport/#", "#", "+", "+/+", "/+", "a//b", "/",
            "+/tennis/#", "$SYS/#", "sport/+/player1", "//", "$share", "$shared/g/a", "$share/g/sport/#", "$share/g/+",
            "$share/g/#", "$share/g//"})
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.7.1-3] valid filters are accepted")
    void validFilters(String filter) {
        assertNull(TopicFilter.validate(filter));
        assertTrue(TopicFilter.isValid(filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport+", "sport/#/x", "sport#", "#/", "a/b+", "+a", "a/+b/c", "##", "++", "a/#b",
            "$share//a", "$share/g", "$share/g/", "$share/g+/a", "$share/g#/a", "$share/g/a/#/b"})
    @DisplayName("v5 [MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.8.2-1] [MQTT-4.8.2-2] misplaced wildcards and bad share names are refused with 0x8F")
    void invalidFilters(String filter) {
        assertEquals(ReasonCode.TOPIC_FILTER_INVALID, TopicFilter.validate(filter));
        assertFalse(TopicFilter.isValid(filter));
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-1] an empty filter is invalid (the decoder has checked the string rules, see TopicNameCheckTest)")
    void emptyFilter() {
        assertFalse(TopicFilter.isValid(""));
        assertFalse(TopicFilter.isValid(null));
        assertTrue(TopicFilter.isValid("a".repeat(65_535)));
    }

    @ParameterizedTest
    @CsvSource({
            "sport/tennis/player1/#, sport/tennis/player1, true",
            "sport/tennis/player1/#, sport/tennis/player1/ranking, true",
            "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon, true",
            "sport/#, sport, true",
            "sport/#, sport/, true",
            "#, sport, true",
            "#, /, true",
            "sport/tennis/+, sport/tennis/player1, true",
            "sport/tennis/+, sport/tennis/player1/ranking, false",
            "sport/+, sport, false",
            "sport/+, sport/, true",
            "+/+, /finance, true",
            "/+, /finance, true",
            "+, /finance, false",
            "+, a, true",
            "a//b, a//b, true",
            "a/+/b, a//b, true",
            "a/b, a//b, false",
            "/, /, true",
            "+/, a/, true",
            "+/#, a, true",
            "sport/tennis, Sport/tennis, false",
            "sport/tennis, sport/tennis/, false",
    })
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.3-4] [MQTT-3.3.2-3] the spec's matching examples, empty levels, no normalisation")
    void matching(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilter.matches(filter, topic));
    }

    @ParameterizedTest
    @CsvSource({
            "#, $SYS/broker/load, false",
            "+/monitor/Clients, $SYS/monitor/Clients, false",
            "$SYS/#, $SYS/monitor/Clients, true",
            "$SYS/monitor/+, $SYS/monitor/Clients, true",
            "+, $SYS, false",
            "a/#, a/$b, true",
            "a/+, a/$b, true",
    })
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.2-1] filters starting with a wildcard do not match $ topics")
    void dollarTopics(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilter.matches(filter, topic));
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-4] matches() agrees with a split-based reference for arbitrary filters and topics")
    void matchesAgreesWithReference() {
        qt().withExamples(5_000).forAll(TopicGenerators.filters(), TopicGenerators.topics())
                .check((f, t) -> TopicFilter.matches(f, t) == TopicGenerators.naiveMatches(f, t));
    }

    @Test
    @DisplayName("generated filters are valid filters and generated topics names the decoder accepts (the generators feed the index properties)")
    void generatorsProduceValidInput() {
        qt().withExamples(2_000).forAll(TopicGenerators.subscriptionFilters(), TopicGenerators.topics())
                .check((f, t) -> TopicFilter.isValid(f) && MqttCodec.decodeOne(MqttCodec.encodeToBytes(
                        new Publish(t, new byte[0], QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY),
                        ProtocolVersion.MQTT_5), ProtocolVersion.MQTT_5) instanceof DecodeResult.Decoded);
    }

    @Test
    @DisplayName("hasWildcard sees '+' and '#'")
    void wildcardDetection() {
        assertTrue(TopicFilter.hasWildcard("a/+"));
        assertTrue(TopicFilter.hasWildcard("#"));
        assertFalse(TopicFilter.hasWildcard("a/b"));
    }
}
